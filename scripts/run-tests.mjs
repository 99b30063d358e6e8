#!/usr/bin/env node
// Runs every *.test.ts under src/ and web/ (or the paths given) with Node's own test runner through tsx.
// Node 20's --test does not expand globs, so the files are found here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['src', 'web']).flatMap((r) => (statSync(r).isDirectory() ? findTests(r, []) : [r])).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const reporter = process.env.CI ? 'spec' : 'spec';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
