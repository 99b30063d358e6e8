import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../../sources/store/test-support/stores.js';
import { finding, pod, uploadBody } from '../../sources/upload/test-support/uploads.js';
import { listFindings } from '../../sources/store/findings.js';
import type { Store } from '../../sources/store/open.js';
import { withJobLock } from '../../sources/store/lock.js';
import { applyExceptions } from '../../engine/exceptions.js';
import type { Finding } from '../../core/model.js';
import { ingestUpload } from '../history/ingest.js';
import type { Principal } from '../access/tokens.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { catalogResolver } from './rules.js';
import { decideException, effectiveExceptions, expireExceptions, requestException } from './workflow.js';

const dev: Principal = { id: 'token:1', name: 'dev', role: 'viewer' };
const lead: Principal = { id: 'token:2', name: 'lead', role: 'approver' };
const now = new Date('2026-06-01T12:00:00Z');
const T1 = '2026-06-01T10:00:00.000Z';
const T2 = '2026-06-02T10:00:00.000Z';

async function statuses(store: Store): Promise<Record<string, string>> {
  const rows = (await listFindings(store, {}, 10_000)).rows;
  return Object.fromEntries(rows.map((r) => [`${r.cluster}/${r.namespace}/${r.name}/${r.rule_id}`, r.status]));
}

async function events(store: Store) {
  return (await store.db.selectFrom('events').selectAll().orderBy('id').execute()).map((e) => ({ kind: e.kind, cluster: e.cluster, payload: JSON.parse(e.payload) as Record<string, unknown> }));
}

eachStore('exceptions workflow', (open) => {
  it('an approved exception excepts what it covers, at once and in later uploads; revoking opens them again', async () => {
    const store = await open();
    const fs = [finding('pss-privileged', pod('a', 'team-a')), finding('pss-privileged', pod('b', 'teamb')), finding('workload-limits', pod('c', 'team-a'))];
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: fs }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'staging', scannedAt: T1, findings: fs }), { now });
    const ex = await requestException(store, dev, { rules: ['pss-privileged'], clusters: ['prod'], namespaces: ['team-*'], reason: 'the CNI agent needs it', owner: 'net-team', ticket: 'SEC-1', expires: '2026-12-31' }, now, catalogResolver);
    assert.equal(ex.status, 'requested');
    assert.equal((await statuses(store))['prod/team-a/a/pss-privileged'], 'open', 'a request changes nothing');
    const approved = await decideException(store, lead, ex.id, 'approve', 'ok until the CNI upgrade', now);
    assert.deepEqual([approved.status, approved.findings, approved.decidedBy], ['approved', 1, 'token:2']);
    assert.deepEqual(await statuses(store), {
      'prod/team-a/a/pss-privileged': 'excepted',
      'prod/teamb/b/pss-privileged': 'open',
      'prod/team-a/c/workload-limits': 'open',
      'staging/team-a/a/pss-privileged': 'open',
      'staging/teamb/b/pss-privileged': 'open',
      'staging/team-a/c/workload-limits': 'open',
    });
    // a later upload: a new object the exception covers is excepted as it arrives
    const r = await ingestUpload(store, uploadBody({ scannedAt: T2, findings: [...fs, finding('pss-privileged', pod('d', 'team-z'))] }), { now });
    assert.equal(r.new, 1);
    assert.equal((await statuses(store))['prod/team-z/d/pss-privileged'], 'excepted');
    const excepted = (await listFindings(store, { statuses: ['excepted'] }, 100)).rows;
    assert.ok(excepted.every((f) => f.exception_id === ex.id));

    await decideException(store, lead, ex.id, 'revoke', undefined, now);
    assert.ok(Object.values(await statuses(store)).every((s) => s === 'open'));
  });

  it('decisions: not by the requester, only from the right state, only on exceptions that exist', async () => {
    const store = await open();
    const ex = await requestException(store, dev, { rules: ['privileged'], reason: 'r' }, now, catalogResolver);
    assert.deepEqual(ex.rules, ['privileged']);
    await assert.rejects(decideException(store, dev, ex.id, 'approve', undefined, now), ForbiddenError);
    await decideException(store, lead, ex.id, 'reject', 'no', now);
    await assert.rejects(decideException(store, lead, ex.id, 'approve', undefined, now), ConflictError);
    await assert.rejects(decideException(store, lead, 999, 'approve', undefined, now), NotFoundError);
    await assert.rejects(requestException(store, dev, { rules: ['x'], reason: 'r', expires: '2020-01-01' }, now, catalogResolver), /in the past/);
    await assert.rejects(requestException(store, dev, { rules: ['x'], reason: '' }, now, catalogResolver), /reason is required/);
    await assert.rejects(requestException(store, dev, { rules: ['x'], reason: 'r', namespaces: ['a b'] }, now, catalogResolver), /not a name or glob/);
  });

  it('globs match as in config exceptions: case-sensitive, * and ?, nothing else special', async () => {
    const store = await open();
    const names = ['web-1', 'web-12', 'Web-1', 'web_1', 'webx1', 'api-1'];
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: names.map((n) => finding('pss-privileged', pod(n))) }), { now });
    const ex = await requestException(store, dev, { rules: ['*'], names: ['web-?', 'web_?'], reason: 'r' }, now, catalogResolver);
    await decideException(store, lead, ex.id, 'approve', undefined, now);
    const s = await statuses(store);
    const excepted = names.filter((n) => s[`prod/default/${n}/pss-privileged`] === 'excepted');
    assert.deepEqual(excepted, ['web-1', 'web_1'], '_ is no wildcard, case counts, ? is one character');
    // the config semantics, applied by the engine to the same findings, agree
    const specs = await effectiveExceptions(store, 'prod', now);
    const engine = applyExceptions(names.map((n) => finding('pss-privileged', pod(n)) as Finding), specs, now);
    assert.deepEqual(engine.suppressed.map((x) => x.resource.name), excepted);
  });

  it('expiry reopens the findings and raises one warning a week before and one event at the end', async () => {
    const store = await open();
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: [finding('pss-privileged', pod('a'))] }), { now });
    const ex = await requestException(store, dev, { rules: ['pss-privileged'], reason: 'until the fix ships', expires: '2026-06-10', owner: 'o', ticket: 'T-9' }, now, catalogResolver);
    await decideException(store, lead, ex.id, 'approve', undefined, now);
    assert.deepEqual(await expireExceptions(store, new Date('2026-06-02T00:00:00Z')), { expired: 0, warned: 0 });
    assert.deepEqual(await expireExceptions(store, new Date('2026-06-05T00:00:00Z')), { expired: 0, warned: 1 });
    assert.deepEqual(await expireExceptions(store, new Date('2026-06-06T00:00:00Z')), { expired: 0, warned: 0 }, 'warned once');
    assert.equal((await effectiveExceptions(store, 'prod', new Date('2026-06-10T23:00:00Z'))).length, 1, 'in force through its last day');
    assert.deepEqual(await expireExceptions(store, new Date('2026-06-11T00:00:00Z')), { expired: 1, warned: 0 });
    assert.deepEqual(Object.values(await statuses(store)), ['open']);
    assert.deepEqual(await effectiveExceptions(store, 'prod', new Date('2026-06-11T00:00:00Z')), []);
    const evs = await events(store);
    assert.deepEqual(evs.map((e) => e.kind), ['exception-requested', 'exception-decided', 'exception-expiring', 'exception-expired']);
    assert.deepEqual(evs[3].payload, { id: ex.id, rules: ['pss-privileged'], reason: 'until the fix ships', owner: 'o', ticket: 'T-9', expires: '2026-06-10', findings: 1 });
    const audit = await store.db.selectFrom('audit_log').select(['actor', 'action', 'target']).where('action', 'like', 'exception.%').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => `${a.actor} ${a.action} ${a.target}`), [`token:1 exception.request exception:${ex.id}`, `token:2 exception.approve exception:${ex.id}`, `system exception.expire exception:${ex.id}`]);
  });

  it('uploads raise new-critical and cluster-regressed events', async () => {
    const store = await open();
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: [finding('pss-privileged', pod('a'), 'critical'), finding('workload-limits', pod('a'), 'low', '/x')] }), { now });
    await ingestUpload(store, uploadBody({ scannedAt: T2, findings: [finding('pss-privileged', pod('a'), 'critical'), finding('workload-limits', pod('a'), 'low', '/x'), finding('workload-limits', pod('b'), 'low', '/x')] }), { now });
    const evs = await events(store);
    assert.deepEqual(evs.map((e) => e.kind), ['new-critical', 'cluster-regressed'], 'the first upload is not a regression; the second adds no critical');
    assert.equal(evs[0].payload.count, 1);
    assert.deepEqual([evs[1].payload.new, evs[1].payload.fixed], [1, 0]);
  });

  it('one job holder at a time', async () => {
    const store = await open();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const a = withJobLock(store, 'job', 'A', 60_000, () => Date.now(), async () => {
      entered();
      await held;
    });
    await inside;
    assert.equal(await withJobLock(store, 'job', 'B', 60_000, () => Date.now(), async () => assert.fail('B must not run')), false);
    release();
    assert.equal(await a, true);
    assert.equal(await withJobLock(store, 'job', 'B', 60_000, () => Date.now(), async () => {}), true, 'free again after A');
  });
});
