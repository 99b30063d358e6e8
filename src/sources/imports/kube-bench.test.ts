/**
 * kube-bench --json: the shapes of its own cmd/testdata (the {"Controls", "Totals"} object and the bare array of
 * controls), and its kind e2e run (integration/testdata/Expected_output.data, cis-1.20: 67 PASS / 11 FAIL / 45 WARN)
 * written in that JSON shape (field names of check/controls.go and check/check.go).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readTestdata } from '../../test-support/testdata.js';
import { UsageError } from '../../core/errors.js';
import { eachStore } from '../store/test-support/stores.js';
import { finding, uploadBody, uploadText } from '../upload/test-support/uploads.js';
import { ingestUpload } from '../../usecases/history/ingest.js';
import { importDocuments, importResults } from './read.js';

/** Expected_output.data as kube-bench --json prints the same run: one control per top-level section. */
function kindRunAsJson(): string {
  const controls: { id: string; version: string; text: string; node_type: string; tests: { section: string; desc: string; results: object[] }[] }[] = [];
  for (const line of readTestdata('kube-bench', 'Expected_output.data').split('\n')) {
    const info = /^\[INFO\] (\S+) (.*)$/.exec(line);
    // a section id without a dot opens a control, unless the control just opened has no results yet ("2", then "2")
    if (info && !info[1].includes('.') && !controls.at(-1)?.tests.every((t) => t.results.length === 0)) controls.push({ id: info[1], version: 'cis-1.20', text: info[2], node_type: 'master', tests: [] });
    else if (info) controls.at(-1)!.tests.push({ section: info[1], desc: info[2], results: [] });
    const r = /^\[(PASS|FAIL|WARN)\] (\S+) (.*)$/.exec(line);
    if (r) controls.at(-1)!.tests.at(-1)!.results.push({ test_number: r[2], test_desc: r[3], audit: 'ps -ef | grep kube-apiserver', status: r[1], actual_value: 'kube-apiserver --etcd-keyfile=/x --token=not-kept', scored: true, expected_result: "'--anonymous-auth' is equal to 'false'", remediation: 'Edit the API server pod specification file.' });
  }
  return JSON.stringify({ Controls: controls, Totals: { total_pass: 67, total_fail: 11, total_warn: 45, total_info: 0 } });
}

it('kube-bench’s own JSON shapes: the Controls object and the bare array mean the same', () => {
  const withTotals = importResults(importDocuments(readTestdata('kube-bench', 'json', 'result.json'), 'result.json'), { node: 'n1' });
  const bare = importResults(importDocuments(readTestdata('kube-bench', 'json', 'result_no_totals.json'), 'result_no_totals.json'), { node: 'n1' });
  assert.deepEqual(withTotals, bare);
  const [r] = withTotals.results;
  assert.deepEqual([r.source, r.scope, r.resources, r.findings.length], ['kube-bench', 'resources', [{ apiVersion: 'v1', kind: 'Node', name: 'n1' }], 0]);
  // its one WARN holds that check's state on the node; versions before kube-bench 0.6 printed "1.5" for cis-1.5
  assert.deepEqual(r.held.map((h) => h.ruleId), ['cis-1.5/3.1.1']);
  assert.throws(() => importResults(importDocuments(readTestdata('kube-bench', 'json', 'result.json'), 'result.json')), (e) => e instanceof UsageError && /--node NAME/.test(e.message));
});

it('the kind e2e run: 11 FAIL findings under node check’s rule ids, 45 WARN holds, nothing of the audit output kept', () => {
  const [r] = importResults(importDocuments(kindRunAsJson(), 'kube-bench.json'), { node: 'kind-control-plane' }).results;
  const fails = [...readTestdata('kube-bench', 'Expected_output.data').matchAll(/^\[FAIL\] (\S+) /gm)].map((m) => `cis-1.20/${m[1]}`);
  assert.equal(fails.length, 11);
  assert.deepEqual(r.findings.map((f) => f.ruleId), fails);
  assert.equal(r.held.length, 45);
  const f = r.findings.find((x) => x.ruleId === 'cis-1.20/1.2.5')!;
  assert.deepEqual([f.severity, f.compliance, f.resource.name, f.message], ['medium', { cis: ['1.2.5'] }, 'kind-control-plane', "Ensure that the --kubelet-certificate-authority argument is set as appropriate (Automated): expected '--anonymous-auth' is equal to 'false'"]);
  assert.doesNotMatch(JSON.stringify(r), /not-kept|ps -ef/);
});

eachStore('kube-bench imports on the server', (open) => {
  it('one node at a time; a check node check already reports is not kept twice', async () => {
    const store = await open();
    const now = new Date('2026-06-01T12:00:00Z');
    const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('cis-1.20/1.1.12', node('kind-control-plane'), 'medium', '')] }), { now });
    const upload = (name: string, at: string, keep = (_: string) => true) => {
      const [r] = importResults(importDocuments(kindRunAsJson(), 'kube-bench.json'), { node: name }).results;
      return ingestUpload(store, uploadBody(uploadText({ source: r.source, scope: r.scope, resources: r.resources, scannedAt: at, findings: r.findings.filter((f) => keep(f.ruleId)), held: r.held })), { now });
    };
    const first = await upload('kind-control-plane', '2026-06-01T11:00:00.000Z');
    assert.deepEqual([first.received, first.duplicates, first.new], [11, 1, 10]);
    const other = await upload('kind-worker', '2026-06-01T11:05:00.000Z', (id) => id === 'cis-1.20/1.2.5');
    assert.deepEqual([other.new, other.fixed], [1, 0]);
    const again = await upload('kind-control-plane', '2026-06-02T11:00:00.000Z', (id) => id !== 'cis-1.20/1.2.5');
    assert.deepEqual([again.new, again.fixed], [0, 1]);
  });
});
