import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STREAMED, streamJson, streamJsonCompact } from './stream-json.js';

/** Items of every shape an array can hold, with text that makes a two-byte string ("…", quotes, newlines). */
function item(i: number): unknown {
  switch (i % 5) {
    case 0:
      return { id: i, message: `finding ${i} … "quoted"\nline`, nested: { list: [i, { deep: [] }], empty: {} } };
    case 1:
      return [i, 'x', [], [{}]];
    case 2:
      return `plain ${i}`;
    case 3:
      return undefined; // null in an array, as JSON.stringify writes it
    default:
      return { id: i, related: Array.from({ length: i % 7 }, (_, j) => ({ j })) };
  }
}

function* items(n: number): Generator<unknown> {
  for (let i = 0; i < n; i++) yield item(i);
}

/** A document with the streamed array at depth 1 (the JSON report's findings) or 3 (SARIF's runs[0].results). */
function doc(depth: 1 | 3, array: unknown): unknown {
  return depth === 1 ? { schemaVersion: 1, findings: array, summary: { n: 1 } } : { version: '2.1.0', runs: [{ tool: { name: 't' }, results: array, invocations: [{ ok: true }] }] };
}

describe('streamJson', () => {
  it('writes what JSON.stringify(doc, null, 2) would, at every count around the slice boundaries and at each depth', () => {
    for (const depth of [1, 3] as const) {
      for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65, 100]) {
        const streamed = [...streamJson(doc(depth, STREAMED), items(n))].join('');
        assert.equal(streamed, JSON.stringify(doc(depth, [...items(n)]), null, 2) + '\n', `depth ${depth}, ${n} items`);
      }
    }
  });

  it('compact, writes what JSON.stringify(doc) would, at every count around the slice boundaries and at each depth', () => {
    for (const depth of [1, 3] as const) {
      for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65, 100]) {
        const streamed = [...streamJsonCompact(doc(depth, STREAMED), items(n))].join('');
        assert.equal(streamed, JSON.stringify(doc(depth, [...items(n)])) + '\n', `depth ${depth}, ${n} items`);
      }
    }
  });

  it('writes a large array in many chunks, not one string', () => {
    for (const stream of [streamJson, streamJsonCompact]) {
      const chunks = [...stream(doc(1, STREAMED), items(1000))];
      assert.ok(chunks.length > 10, `${chunks.length} chunks`);
    }
  });

  it('refuses a document without the streamed array', () => {
    for (const stream of [streamJson, streamJsonCompact]) assert.throws(() => [...stream({ findings: [] }, [])], /no streamed array/);
  });
});
