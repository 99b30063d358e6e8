/**
 * Compliance per framework on the server: whole-cluster uploads carry each framework's score (as `scan --framework`
 * computes it, analysis/compliance), kept per scan; GET /api/v1/compliance answers each cluster's latest with the
 * score of the scan before. A scan of some files (scope resources) records none. On SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../sources/store/test-support/stores.js';
import { sendUpload } from '../sources/upload/client.js';
import type { ComplianceScoreRecord, UploadScope } from '../sources/upload/format.js';
import { uploadLines } from '../sources/upload/format.js';
import { request, startTestServer } from './test-support/server.js';

const score = (framework: string, pass: number, fail: number): ComplianceScoreRecord => ({ framework, version: `${framework} v1`, score: pass + fail ? Math.round((1000 * pass) / (pass + fail)) / 10 : null, pass, fail, counts: { PASS: pass, FAIL: fail, MANUAL: 2 } });

eachStore('compliance scores', (open) => {
  it('keeps each whole-cluster scan’s scores and answers the latest with the one before', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const up = (cluster: string, at: string, scores: ComplianceScoreRecord[], scope: UploadScope = 'cluster') =>
        sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster, source: 'kubeguard', scope, scannedAt: at }, [], [], [], [], scores.map((c) => ({ complianceScore: c }))) });
      const get = async (q = '') => (await request(`${s.url}/api/v1/compliance${q}`, { token: s.tokens.viewer })).body.items as { cluster: string; framework: string; score: number | null; previous: { score: number | null } | null; scannedAt: string }[];
      assert.deepEqual(await get(), []);
      await up('prod', '2026-06-01T10:00:00Z', [score('nsa', 6, 2), score('cis', 0, 0)]);
      await up('prod', '2026-06-02T10:00:00Z', [score('nsa', 7, 1), score('cis', 0, 0)]);
      await up('prod', '2026-06-03T10:00:00Z', [score('nsa', 8, 0), score('cis', 1, 2)]);
      await up('prod', '2026-06-04T10:00:00Z', [score('nsa', 1, 7)], 'resources');
      await up('dev', '2026-06-02T10:00:00Z', [score('nsa', 1, 2)]);
      const all = await get();
      assert.deepEqual(
        all.map((x) => [x.cluster, x.framework, x.score, x.previous?.score, x.scannedAt]),
        [
          ['dev', 'nsa', 33.3, undefined, '2026-06-02T10:00:00.000Z'],
          ['prod', 'cis', 33.3, null, '2026-06-03T10:00:00.000Z'],
          ['prod', 'nsa', 100, 87.5, '2026-06-03T10:00:00.000Z'],
        ],
        'latest whole-cluster scan per framework, with the one before; a file scan records none',
      );
      assert.deepEqual((await get('?cluster=dev')).map((x) => x.cluster), ['dev']);
      assert.equal((await request(`${s.url}/api/v1/compliance`)).status, 401);
      // out of range is refused
      const bad = await sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: 'prod', source: 'kubeguard', scope: 'cluster', scannedAt: '2026-06-05T10:00:00Z' }, [], [], [], [], [{ complianceScore: { ...score('nsa', 1, 0), score: 140 } }]) }).catch((e: Error) => e);
      assert.ok(bad instanceof Error && /percentage/.test(bad.message));
    } finally {
      await s.close();
    }
  });
});
