import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool.js';

test('records come back by position, before and after a flush, and nothing is left on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-spool-test-'));
  try {
    const spool = new Spool(dir);
    assert.deepEqual(readdirSync(dir), [], 'the file is unlinked once open');
    const small = spool.append('{"a":"é"}');
    assert.equal(spool.read(small), '{"a":"é"}');
    const big = 'x'.repeat(1.5 * (1 << 20));
    const records = [spool.append(big), spool.append('after'), spool.append('')];
    assert.equal(spool.read(records[1]!), 'after');
    assert.equal(spool.read(records[0]!), big);
    assert.equal(spool.read(records[2]!), '');
    assert.equal(spool.read(small), '{"a":"é"}');
    assert.equal(spool.size, Buffer.byteLength('{"a":"é"}') + big.length + 5);
    spool.close();
    spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
