/**
 * The streaming tar reader against archives written by GNU tar in each of its formats, with tar-stream (the
 * library the reader replaced on the layer path) as the oracle for what every entry is.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { ImageFormatError } from '../../analysis/images/errors.js';
import { TarReader } from './tar-reader.js';

interface Seen {
  name: string;
  type: string;
  size: number;
  mode: number;
  uid: number;
  linkname: string;
  content: string;
}

const root = mkdtempSync(join(tmpdir(), 'kg-tar-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A tree with what stresses header encodings: long names and link targets, hard links, odd sizes, UTF-8. */
function makeTree(longLink: boolean): string {
  const dir = mkdtempSync(join(root, 'tree-'));
  const deep = join(dir, 'usr/lib/python3/dist-packages', 'a-rather-long-directory-name-for-the-prefix-field', 'another-long-component-x');
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'METADATA-with-a-long-file-name-that-does-not-fit-in-one-hundred-bytes-alone.txt'), 'Name: x\n');
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'block'), 'b'.repeat(512));
  writeFileSync(join(dir, 'block-and-one'), 'c'.repeat(513));
  writeFileSync(join(dir, 'größe.txt'), 'ü');
  writeFileSync(join(dir, 'suid'), '#!/bin/sh\n');
  chmodSync(join(dir, 'suid'), 0o4755);
  linkSync(join(dir, 'block'), join(dir, 'hard'));
  symlinkSync('block', join(dir, 'short-link'));
  if (longLink) symlinkSync(`/${'t'.repeat(150)}/target`, join(dir, 'long-link'));
  return dir;
}

function gnuTar(dir: string, format: string, extra: string[] = []): Buffer {
  return execFileSync('tar', [`--format=${format}`, '--sort=name', ...extra, '-cf', '-', '-C', dir, '.'], { maxBuffer: 64 * 1024 * 1024 });
}

/** Our reader, fed in chunks of the given sizes (cycled), to cross every header and data boundary. */
function readOurs(tar: Buffer, chunkSizes: number[]): Seen[] {
  const out: Seen[] = [];
  const reader = new TarReader((h) => {
    const parts: Buffer[] = [];
    const seen: Seen = { name: h.name, type: h.type, size: h.size, mode: h.mode, uid: h.uid ?? 0, linkname: h.linkname ?? '', content: '' };
    out.push(seen);
    return {
      data: (c) => void parts.push(Buffer.from(c)),
      end: () => void (seen.content = Buffer.concat(parts).toString('utf8')),
    };
  }, 'test layer');
  for (let off = 0, i = 0; off < tar.length; i++) {
    const n = chunkSizes[i % chunkSizes.length];
    reader.push(tar.subarray(off, off + n));
    off += n;
  }
  reader.end();
  return out;
}

async function readTarStream(tar: Buffer): Promise<Seen[]> {
  const out: Seen[] = [];
  const ex = extract();
  Readable.from([tar]).pipe(ex);
  for await (const entry of ex) {
    const h = entry.header;
    const parts: Buffer[] = [];
    for await (const c of entry as AsyncIterable<Buffer>) parts.push(c);
    const type = h.type === 'contiguous-file' ? 'file' : ['file', 'directory', 'symlink', 'link'].includes(h.type ?? '') ? h.type! : 'other';
    out.push({ name: h.name, type, size: h.size ?? 0, mode: h.mode ?? 0, uid: h.uid ?? 0, linkname: h.linkname ?? '', content: Buffer.concat(parts).toString('utf8') });
  }
  return out;
}

for (const format of ['gnu', 'pax', 'ustar']) {
  test(`GNU tar --format=${format}: every entry reads as tar-stream reads it, however the bytes are chunked`, async () => {
    const tar = gnuTar(makeTree(format !== 'ustar'), format);
    const expected = await readTarStream(tar);
    assert.ok(expected.some((e) => e.name.length > 100), 'the archive has a name longer than the header field');
    for (const sizes of [[tar.length], [1], [511, 513, 7], [4096, 100_000]]) assert.deepEqual(readOurs(tar, sizes), expected, `chunks ${sizes.join(',')}`);
    const suid = expected.find((e) => e.name.endsWith('suid'))!;
    assert.equal(suid.mode & 0o7777, 0o4755);
    if (format !== 'ustar') assert.equal(expected.find((e) => e.name.endsWith('long-link'))!.linkname, `/${'t'.repeat(150)}/target`);
  });
}

test('numeric fields in GNU base-256 (an id above the octal range) read like tar-stream', async () => {
  const tar = gnuTar(makeTree(false), 'gnu', ['--owner=big:3000000', '--group=0']);
  const ours = readOurs(tar, [tar.length]);
  assert.deepEqual(ours, await readTarStream(tar));
  assert.ok(ours.every((e) => e.uid === 3000000));
});

test('a truncated archive or a corrupt header is an error, never a silent partial read', () => {
  const tar = gnuTar(makeTree(false), 'pax');
  const cut = tar.subarray(0, 512 * 3 + 100);
  assert.throws(() => readOurs(cut, [cut.length]), (e: unknown) => e instanceof ImageFormatError && /unexpected end of tar data/.test(e.message));
  const bad = Buffer.from(tar);
  bad[10] ^= 0x20; // inside the first entry's name: the header checksum no longer matches
  assert.throws(() => readOurs(bad, [bad.length]), (e: unknown) => e instanceof ImageFormatError && /bad checksum/.test(e.message));
  assert.throws(() => readOurs(Buffer.from('not a tar at all'.repeat(64)), [1024]), ImageFormatError);
});
