import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ARGS, MAX_ARG_CHARS, ProcReader, parseStat } from './procfs.js';

describe('ProcReader', () => {
  it('bounds what one process can make it hold: the bytes read, the argument count and each argument', () => {
    const root = mkdtempSync(join(tmpdir(), 'kg-proc-'));
    try {
      mkdirSync(join(root, '7'));
      writeFileSync(join(root, '7', 'cgroup'), '0::/kubepods/pod6f1c2a4e-9a7b-4c8e-8d2b-5e6f7a8b9c0d/' + 'c'.repeat(64) + '\n');
      const huge = ['x', 'y'.repeat(100_000), ...Array.from({ length: 2000 }, (_, i) => `a${i}`)];
      writeFileSync(join(root, '7', 'cmdline'), huge.join('\0') + '\0');
      const facts = new ProcReader(root).read(7);
      assert.equal(facts.gone, false);
      assert.equal(facts.argv?.length, MAX_ARGS);
      assert.equal(facts.argv?.[1].length, MAX_ARG_CHARS);
      assert.equal(facts.exe, undefined, 'no exe link: absent, not an error');
      writeFileSync(join(root, '7', 'cmdline'), ['x', 'y'.repeat(300_000), 'beyond'].join('\0') + '\0');
      assert.deepEqual(new ProcReader(root).read(7).argv, ['x', 'y'.repeat(MAX_ARG_CHARS)], 'what lies past 256 KiB is not read');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  it('a pid that is not there is gone', () => {
    assert.equal(new ProcReader().read(2 ** 30).gone, true);
  });
  it('reads stat with a command name that holds spaces and parentheses (the last ")" ends it)', () => {
    const facts = { pid: 9, gone: false } as Parameters<typeof parseStat>[1];
    parseStat('9 (evil) R 1 2 3 34816 5) S 4242 9 9 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777 1 1\n', facts);
    assert.equal(facts.comm, 'evil) R 1 2 3 34816 5');
    assert.equal(facts.ppid, 4242);
    assert.equal(facts.tty, false);
    assert.equal(facts.startTicks, 777);
  });
  it('reads this very process', () => {
    const f = new ProcReader().read(process.pid);
    assert.equal(f.exe, process.execPath);
    assert.equal(f.ppid, process.ppid);
    assert.ok(f.argv?.length);
  });
});
