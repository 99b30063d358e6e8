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

/** An archive of `count` small deflated entries written by Python's zipfile, or why it could not be written. */
function pythonZip(count: number): Buffer | string {
  const dir = mkdtempSync(join(tmpdir(), 'kg-zip-'));
  try {
    const file = join(dir, 'many.zip');
    const script = `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(file)}, 'w', zipfile.ZIP_DEFLATED) as z:\n  for i in range(${count}): z.writestr('e%d.json' % i, '{"n": %d}' % i)\n`;
    const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return `python3 not available to write the archive: ${r.error?.message ?? r.stderr}`;
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Python writes Zip64 end records from 65,536 entries on; at exactly 65,535 the classic count field is saturated
// without them, and that count is the real one.
for (const [count, zip64] of [[70000, true], [65535, false]] as const) {
  test(`reads the ${zip64 ? 'Zip64 end records of an archive' : 'saturated classic count of an archive without Zip64 records'} with ${count} entries (written by Python zipfile)`, (t) => {
    const buf = pythonZip(count);
    if (typeof buf === 'string') return t.skip(buf);
    assert.equal(buf.readUInt16LE(buf.length - 22 + 10), 0xffff, 'the classic count field is saturated');
    assert.equal(buf.length >= 42 && buf.readUInt32LE(buf.length - 42) === 0x07064b50, zip64, 'a Zip64 locator precedes the end record');
    const entries = readZipDirectory(inMemory(buf), buf.length);
    assert.equal(entries.length, count);
    assert.deepEqual([entries[0].name, entries[count - 1].name], ['e0.json', `e${count - 1}.json`]);
    assert.equal(contentOf(buf, `e${count - 1}.json`), `{"n": ${count - 1}}`);
  });
}
