#!/usr/bin/env node
// kubeguard (also installed as kubectl-kubeguard, so `kubectl kubeguard ...` works as a plugin).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// the bundle (scripts/bundle-cli.mjs) starts faster, a scan's own bundle faster still; the per-module build is the
// fallback
const bundle = process.argv[2] === 'scan' ? new URL('../dist/bundle-scan/run-scan.js', import.meta.url) : new URL('../dist/bundle/run.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundle)) ? bundle : new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('kubeguard: not built yet; run `npm install` (or `npm run build`) in the kubeguard directory\n');
  process.exit(2);
}
await import(entry.href);
