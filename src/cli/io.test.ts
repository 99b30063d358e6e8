import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutput } from './io.js';

it('writes streamed chunks as UTF-8, whatever their size and characters, over what the file held', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kg-io-')), 'report.json');
  writeFileSync(file, 'x'.repeat(5_000_000));
  // small and large chunks (past the shared encoding buffer), multi-byte characters, a lone surrogate
  const chunks = ['{"a": "…"', ', "b": "' + '€'.repeat(400_000) + '"', ', "c": "\uD800"', ', "d": "' + 'y'.repeat(100_000) + '"}\n'];
  writeOutput(chunks.values(), file);
  assert.deepEqual(readFileSync(file), Buffer.from(chunks.join('')));
});
