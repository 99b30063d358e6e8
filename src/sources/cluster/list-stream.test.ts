import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ListStreamError, streamListItems } from './list-stream.js';

async function all(text: string, chunkSize: number): Promise<{ value: unknown; line: number }[]> {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out = [];
  for await (const item of streamListItems(Readable.from(chunks))) out.push(item);
  return out;
}

describe('streamListItems', () => {
  const items = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', annotations: { tricky: 'a "quoted" } ] { [ brace, \\ backslash, ünïcødé ✓' } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' }, spec: { items: [{ x: 1 }], template: { spec: { containers: [{ name: 'c' }] } } } },
  ];
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };

  for (const [label, text] of [
    ['compact', JSON.stringify(list)],
    ['kubectl-style (4 spaces)', JSON.stringify(list, null, 4)],
    ['items first, kind last (as kubectl prints)', JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: {} }, null, 2)],
  ] as const) {
    for (const chunk of [1, 3, 7, 64, 1 << 16]) {
      it(`${label}, chunks of ${chunk} bytes: the same objects as JSON.parse, with their lines`, async () => {
        const got = await all(text, chunk);
        assert.deepEqual(got.map((g) => g.value), (JSON.parse(text) as { items: unknown[] }).items);
        const lines = text.split('\n');
        for (const g of got) assert.match(lines[g.line - 1], /\{/);
        if (text.includes('\n')) assert.ok(got[1].line > got[0].line);
      });
    }
  }

  it('rejects what is not a List, and a truncated List', async () => {
    await assert.rejects(all(JSON.stringify({ kind: 'Pod', metadata: { items: [] } }), 5), ListStreamError);
    await assert.rejects(all(JSON.stringify(list).slice(0, -30), 5), /truncated|not JSON/);
  });
});
