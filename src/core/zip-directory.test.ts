import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { readZipDirectory, zipDataOffset, ZipEntryLimitError, ZipFormatError } from './zip-directory.js';

const inMemory = (buf: Buffer) => (offset: number, length: number) => buf.subarray(offset, offset + length);

function contentOf(buf: Buffer, name: string): string {
  const e = readZipDirectory(inMemory(buf), buf.length).find((x) => x.name === name)!;
  const start = zipDataOffset(buf.subarray(e.localOffset, e.localOffset + 30), e);
  const data = buf.subarray(start, start + e.compressedSize);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

test('lists stored and deflated entries of an archive written by fflate, with sizes, CRC and data offsets', () => {
  const text = 'x'.repeat(5000);
  const buf = Buffer.from(zipSync({ 'a/stored.txt': [strToU8('hello'), { level: 0 }], 'b.json': [strToU8(text), { level: 9 }], 'dir/': new Uint8Array() }));
  const entries = readZipDirectory(inMemory(buf), buf.length);
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.size]), [['a/stored.txt', 0, 5], ['b.json', 8, 5000], ['dir/', 8, 0]]); // fflate deflates even an empty entry
  assert.ok(entries[1].compressedSize < 100);
  assert.equal(contentOf(buf, 'a/stored.txt'), 'hello');
  assert.equal(contentOf(buf, 'b.json'), text);
});

test('refuses what is not a whole archive, and more entries than allowed', () => {
  const buf = Buffer.from(zipSync({ 'a.txt': strToU8('a'), 'b.txt': strToU8('b') }));
  assert.throws(() => readZipDirectory(inMemory(buf.subarray(0, buf.length - 10)), buf.length - 10), ZipFormatError);
  assert.throws(() => readZipDirectory(inMemory(Buffer.from('not a zip at all')), 16), /no end of central directory/);
  assert.throws(() => readZipDirectory(inMemory(buf), buf.length, 1), ZipEntryLimitError);
});

test('reads the Zip64 end records of an archive with more than 65,535 entries (written by Python zipfile)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-zip64-'));
  try {
    const file = join(dir, 'z64.zip');
    const script = `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(file)}, 'w', zipfile.ZIP_DEFLATED) as z:\n  for i in range(70000): z.writestr('e%d.json' % i, '{"n": %d}' % i)\n`;
    const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return t.skip(`python3 not available to write the archive: ${r.error?.message ?? r.stderr}`);
    const buf = readFileSync(file);
    assert.equal(buf.readUInt16LE(buf.length - 22 + 10), 0xffff, 'the classic end record is saturated, so the Zip64 one must be read');
    const entries = readZipDirectory(inMemory(buf), buf.length);
    assert.equal(entries.length, 70000);
    assert.deepEqual([entries[0].name, entries[69999].name], ['e0.json', 'e69999.json']);
    assert.equal(contentOf(buf, 'e69999.json'), '{"n": 69999}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
