import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { indexJsonConcurrently, offloadState } from './json-index-offload.js';
import { indexJsonText } from './json-index.js';
import type { NodeTree } from './node-tree.js';

/** A kubectl-style List large enough to be indexed on the helper. */
function largeList(tag: string): string {
  const items = Array.from({ length: 8000 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${tag}-${i}`, labels: { 'a\\"b': 'x' } },
    data: { key: 'value', nested: JSON.stringify({ i }) },
  }));
  return JSON.stringify({ apiVersion: "v1", kind: "List", items }, null, 2);
}

function sameIndex(a: NodeTree, b: NodeTree): void {
  const nodes = b.end[0];
  assert.equal(a.end[0], nodes);
  for (const k of ['line', 'end', 'kind', 'keyStart', 'keyEnd'] as const) {
    assert.deepEqual(Array.from(a[k]!.subarray(0, nodes)), Array.from(b[k]!.subarray(0, nodes)), k);
  }
}

test('a large JSON text is indexed on the helper thread once it is ready, with the same index as here', async () => {
  const text = largeList('first');
  assert.ok(text.length > 1 << 20);
  sameIndex(indexJsonConcurrently(text)(), indexJsonText(text)); // starts the helper; indexed here meanwhile
  for (let waited = 0; offloadState().state !== 'ready' && waited < 30_000; waited += 50) await sleep(50);
  assert.deepEqual(offloadState(), { state: 'ready', answered: 0 });

  // A JSON-looking text that is not JSON: its answer is never taken, and must not be mistaken for the next one's.
  indexJsonConcurrently(`{ not: json ${' '.repeat(1 << 20)}`);
  const second = largeList('second');
  sameIndex(indexJsonConcurrently(second)(), indexJsonText(second));
  assert.deepEqual(offloadState(), { state: 'ready', answered: 2 }); // both answered by the helper, none given up on
});
