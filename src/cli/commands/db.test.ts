/** `kubeguard db …` through commander, on real files (the lead registers the command in main.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerDb } from './db.js';
import { conformanceDir } from '../../test-support/conformance.js';
import { VulnDbImportError, VulnDbMissingError } from '../../sources/vulndb/errors.js';

async function run(args: string[]): Promise<{ out: string; code: number | undefined }> {
  const program = new Command().exitOverride();
  registerDb(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'kubeguard', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out, code };
}

test('db import, then status (table and json), with --db', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-db-cli-'));
  try {
    const db = join(dir, 'v.db');
    const imp = await run(['db', 'import', conformanceDir('osv', 'records'), '--db', db, '-q']);
    assert.match(imp.out, /imported 8 records/);
    assert.equal(imp.code, 0);
    const table = await run(['db', 'status', '--db', db]);
    assert.match(table.out, /Debian\s+3\s+3/);
    assert.match(table.out, /advisories: 8/);
    const json = await run(['db', 'status', '--db', db, '--format', 'json', '--check']);
    const s = JSON.parse(json.out);
    assert.equal(s.advisories, 8);
    assert.equal(s.integrity, 'ok');
    assert.equal(s.stale, false);
    // nothing valid to import: the import fails (exit 3 from the CLI) and the database keeps what it had
    writeFileSync(join(dir, 'bad.json'), '{');
    await assert.rejects(run(['db', 'import', join(dir, 'bad.json'), '--db', db, '-q']), VulnDbImportError);
    assert.match((await run(['db', 'status', '--db', db])).out, /advisories: 8/);
    await assert.rejects(run(['db', 'status', '--db', join(dir, 'missing.db')]), VulnDbMissingError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
