import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { NodeVersionProbe, isNodeBinaryCandidate } from './node-binary.js';
import { binaryProbe } from './binary-probe.js';

const run = (data: Buffer, chunk: number): string | undefined => {
  const probe = new NodeVersionProbe();
  for (let i = 0; i < data.length; i += chunk) probe.push(data.subarray(i, i + chunk));
  return probe.end();
};

test('the version is found wherever chunks cut the marker or the version, and at the very end of the file', () => {
  const body = Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(10_000, 7), Buffer.from('https://nodejs.org/download/release/node.js/v20.20.2\0', 'latin1'), Buffer.alloc(3000, 1)]);
  for (const size of [1, 3, 7, 64, 4096, 1 << 20]) assert.equal(run(body, size), '20.20.2', `chunk ${size}`);
  const atEnd = Buffer.concat([Buffer.alloc(100), Buffer.from('node.js/v18.19.1', 'latin1')]);
  for (const size of [5, 1000]) assert.equal(run(atEnd, size), '18.19.1');
});

test('decoys: a marker without a version, a longer dotted string, and no marker at all', () => {
  const text = (s: string) => Buffer.from(s, 'latin1');
  assert.equal(run(text('x node.js/vX.Y node.js/v1.2.3.4 y node.js/v22.1.0 z'), 4), '22.1.0');
  assert.equal(run(text('node version v20.1.0 only'), 3), undefined);
});

test('only large executables named node or nodejs are probed', () => {
  assert.ok(isNodeBinaryCandidate('/nodejs/bin/node', 0o755, 90 << 20));
  assert.ok(isNodeBinaryCandidate('/usr/bin/nodejs', 0o755, 90 << 20));
  assert.ok(!isNodeBinaryCandidate('/nodejs/bin/node', 0o644, 90 << 20), 'not executable');
  assert.ok(!isNodeBinaryCandidate('/usr/bin/node-gyp', 0o755, 90 << 20));
  assert.ok(!isNodeBinaryCandidate('/usr/bin/node', 0o755, 100), 'a launcher script');
});

test('the real Node.js binary of this machine: the version it reports about itself', async () => {
  const path = process.execPath;
  const probe = binaryProbe('/usr/local/bin/node', 0o755, statSync(path).size)!;
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) probe.push(c);
  const reported = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  assert.equal(`v${probe.end().nodeVersion}`, reported);
});
