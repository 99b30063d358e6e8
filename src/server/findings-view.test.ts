/**
 * What the dashboard reads of findings: the list in every sort order (each finding exactly once across keyed pages,
 * in order), the text search, one finding's detail as uploaded (location, remediation, patch), and the caller's
 * role and permissions. On SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../core/model.js';
import { findingFingerprint } from '../core/fingerprint.js';
import { eachStore } from '../sources/store/test-support/stores.js';
import { finding, pod, uploadText } from '../sources/upload/test-support/uploads.js';
import { sendUpload } from '../sources/upload/client.js';
import { permissionsOf } from '../usecases/access/roles.js';
import { request, startTestServer } from './test-support/server.js';

const T1 = '2026-06-01T10:00:00.000Z';
const T2 = '2026-06-03T10:00:00.000Z';
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

interface Item {
  fingerprint: string;
  cluster: string;
  severity: string;
  ruleId: string;
  firstSeen: string;
  lastSeen: string;
  resource: { namespace?: string; kind: string; name: string };
}

eachStore('findings for the dashboard', (open) => {
  it('pages every sort order exactly once, in order', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const fs: Finding[] = [];
      for (let i = 0; i < 37; i++) fs.push(finding(['pss-privileged', 'workload-limits', 'image-tag-latest'][i % 3], pod(`p${i % 11}`, `ns${i % 4}`), SEVERITIES[(i * 7) % 5], `/spec/containers/${i}`));
      const up = (cluster: string, at: string, list: Finding[]) => sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [uploadText({ cluster, scannedAt: at, findings: list })], attempts: 1 });
      await up('prod', T1, fs);
      await up('staging', T1, fs.slice(0, 9));
      await up('staging', T2, fs.slice(0, 12)); // three first seen later, nine seen again later
      const rank = (x: Item) => SEVERITIES.indexOf(x.severity as (typeof SEVERITIES)[number]);
      const orders: Record<string, (a: Item, b: Item) => number> = {
        severity: (a, b) => rank(b) - rank(a),
        '-lastSeen': (a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen),
        '-firstSeen': (a, b) => Date.parse(b.firstSeen) - Date.parse(a.firstSeen),
        ruleId: (a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
        object: (a, b) => `${a.cluster}\0${a.resource.namespace}\0${a.resource.kind}\0${a.resource.name}`.localeCompare(`${b.cluster}\0${b.resource.namespace}\0${b.resource.kind}\0${b.resource.name}`),
      };
      for (const [sort, cmp] of Object.entries(orders)) {
        const seen: Item[] = [];
        let next: string | null = null;
        for (let page = 0; page < 20; page++) {
          const r = await request(`${s.url}/api/v1/findings?sort=${encodeURIComponent(sort)}&limit=5${next ? `&next=${next}` : ''}`, { token: s.tokens.viewer });
          assert.equal(r.status, 200, JSON.stringify(r.body));
          seen.push(...(r.body.items as Item[]));
          next = r.body.next as string | null;
          if (!next) break;
        }
        assert.equal(seen.length, 37 + 12, sort);
        assert.equal(new Set(seen.map((x) => `${x.cluster}/${x.fingerprint}`)).size, 49, `${sort}: each once`);
        for (let i = 1; i < seen.length; i++) assert.ok(cmp(seen[i - 1], seen[i]) <= 0, `${sort}: in order at ${i}`);
      }
      // a cursor belongs to its order
      const page = await request(`${s.url}/api/v1/findings?sort=severity&limit=5`, { token: s.tokens.viewer });
      const wrong = await request(`${s.url}/api/v1/findings?sort=-lastSeen&limit=5&next=${page.body.next as string}`, { token: s.tokens.viewer });
      assert.equal(wrong.status, 400);
      assert.equal((await request(`${s.url}/api/v1/findings?sort=worst`, { token: s.tokens.viewer })).status, 400);
    } finally {
      await s.close();
    }
  });

  it('counts what matches up to a cap, and says when there are more', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const fs = Array.from({ length: 23 }, (_, i) => finding(i % 2 ? 'pss-privileged' : 'workload-limits', pod(`p${i}`, 'shop'), i < 4 ? 'critical' : 'medium'));
      await sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [uploadText({ cluster: 'prod', scannedAt: T1, findings: fs })], attempts: 1 });
      const total = async (q: string) => (await request(`${s.url}/api/v1/findings/total${q}`, { token: s.tokens.viewer })).body;
      assert.deepEqual(await total(''), { count: 23, more: false });
      assert.deepEqual(await total('?cap=10'), { count: 10, more: true });
      assert.deepEqual(await total('?cap=23'), { count: 23, more: false });
      assert.deepEqual(await total('?severity=critical&cap=10'), { count: 4, more: false });
      assert.deepEqual(await total('?ruleId=pss-privileged&q=p1'), { count: 6, more: false }); // p1, p11, p13, p15, p17, p19
      assert.equal((await request(`${s.url}/api/v1/findings/total?cap=0`, { token: s.tokens.viewer })).status, 400);
    } finally {
      await s.close();
      await store.close();
    }
  });

  it('searches names, namespaces, rules and messages, case-insensitively, wildcards taken literally', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const fs = [finding('pss-privileged', pod('Checkout-API', 'shop')), finding('workload-limits', pod('db-0', 'data')), finding('image-tag-latest', pod('web_1', 'shop'))];
      fs[1].message = 'container "postgres" has no memory limit';
      await sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [uploadText({ scannedAt: T1, findings: fs })], attempts: 1 });
      const names = async (q: string, extra = '') => ((await request(`${s.url}/api/v1/findings?q=${encodeURIComponent(q)}${extra}`, { token: s.tokens.viewer })).body.items as Item[]).map((x) => x.resource.name).sort();
      assert.deepEqual(await names('checkout'), ['Checkout-API']);
      assert.deepEqual(await names('SHOP'), ['Checkout-API', 'web_1']);
      assert.deepEqual(await names('POSTGRES'), ['db-0']);
      assert.deepEqual(await names('tag-latest'), ['web_1']);
      assert.deepEqual(await names('web_'), ['web_1']);
      assert.deepEqual(await names('_'), ['web_1'], '_ is a character, not a wildcard');
      assert.deepEqual(await names('%'), []);
      assert.deepEqual(await names('shop', '&ruleId=pss-privileged'), ['Checkout-API']);
      // counts take the same filters
      const counts = await request(`${s.url}/api/v1/findings/counts?by=status&q=shop`, { token: s.tokens.viewer });
      assert.deepEqual(counts.body.items, [{ group: { status: 'open' }, count: 2 }]);
      assert.equal((await request(`${s.url}/api/v1/findings?q=${'x'.repeat(201)}`, { token: s.tokens.viewer })).status, 400);
    } finally {
      await s.close();
    }
  });

  it("serves one finding with its latest scan's location, remediation and patch", async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const f: Finding = {
        ...finding('pss-privileged', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, 'critical', '/spec/template/spec/containers/0/securityContext/privileged'),
        location: { file: 'deploy/web.yaml', line: 21 },
        remediation: 'Remove securityContext.privileged.',
        evidence: 'privileged: true',
        fix: [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext/privileged' }],
        compliance: { pss: ['baseline'], mitre: ['T1611'] },
      };
      await sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [uploadText({ scannedAt: T1, findings: [f] })], attempts: 1 });
      const fp = findingFingerprint(f.ruleId, f.resource, f.path);
      const r = await request(`${s.url}/api/v1/findings/prod/${fp}`, { token: s.tokens.viewer });
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.location, r.body.remediation, r.body.evidence, r.body.fix, r.body.compliance, r.body.status], [f.location, f.remediation, f.evidence, f.fix, f.compliance, 'open']);
      // the next scan's word replaces it (the line moved, the patch is gone)
      const moved: Finding = { ...f, location: { file: 'deploy/web.yaml', line: 25 }, fix: undefined };
      await sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [uploadText({ scannedAt: T2, findings: [moved] })], attempts: 1 });
      const again = await request(`${s.url}/api/v1/findings/prod/${fp}`, { token: s.tokens.viewer });
      assert.deepEqual([again.body.location, again.body.fix], [{ file: 'deploy/web.yaml', line: 25 }, undefined]);
      assert.equal((await request(`${s.url}/api/v1/findings/prod/${'0'.repeat(32)}`, { token: s.tokens.viewer })).status, 404);
      assert.equal((await request(`${s.url}/api/v1/findings/staging/${fp}`, { token: s.tokens.viewer })).status, 404);
      assert.equal((await request(`${s.url}/api/v1/findings/prod/${fp}`, { token: s.tokens.uploader })).status, 403);
      // a patch that is not one is refused with the line, never echoed
      const bad = uploadText({ scannedAt: T2, findings: [{ ...f, fix: [{ op: 'exec' as 'add', path: '/x', value: 'secret-value' }] }] });
      await assert.rejects(sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [bad], attempts: 1 }), (e: Error) => /line 2: finding\.fix\[0\]\.op/.test(e.message) && !e.message.includes('secret-value'));
    } finally {
      await s.close();
    }
  });

  it('tells the caller its role and what the role may do', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      for (const role of ['viewer', 'approver', 'admin', 'uploader'] as const) {
        const r = await request(`${s.url}/api/v1/session`, { token: s.tokens[role] });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { user: { name: `test-${role}`, role }, permissions: permissionsOf(role), via: 'token' });
      }
      assert.ok(!permissionsOf('viewer').includes('exceptions:decide'));
      assert.equal((await request(`${s.url}/api/v1/session`)).status, 401);
    } finally {
      await s.close();
    }
  });
});
