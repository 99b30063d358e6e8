/** `kubeguard import` as a process: what it prints without --upload, its usage errors, and uploads to a real server. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testdataPath } from '../../test-support/testdata.js';
import type { Store } from '../../sources/store/open.js';
import { openStore } from '../../sources/store/open.js';
import type { TestServer } from '../../server/test-support/server.js';
import { request, startTestServer } from '../../server/test-support/server.js';
import { kubeguardAsync } from '../test-support/run-cli.js';

describe('kubeguard import', () => {
  let dir: string;
  let store: Store;
  let server: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-import-'));
    store = await openStore(join(dir, 'server.db'));
    server = await startTestServer(store);
  });
  after(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kube-bench JSON needs --node; what it does not know is counted, never fatal', async () => {
    const noNode = await kubeguardAsync(['import', testdataPath('kube-bench', 'json', 'result.json')]);
    assert.deepEqual([noNode.code, noNode.stdout], [2, '']);
    assert.match(noNode.stderr, /kube-bench results do not say which node they are from: add --node NAME/);

    const pod = join(dir, 'pod.yaml');
    writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n');
    const printed = await kubeguardAsync(['import', testdataPath('trivy-operator', 'vulnerability-ttl.yaml'), pod]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stderr, /skipped 1 × Pod \(v1\)/);
    assert.deepEqual((JSON.parse(printed.stdout) as { source: string; findings: unknown[] }[]).map((r) => [r.source, r.findings.length]), [['trivy-operator-vulnerability', 1]]);
  });

  it('uploads one batch per source to the server', async () => {
    const r = await kubeguardAsync(['import', testdataPath('trivy-operator', 'role-rbacassessment-expected.yaml'), testdataPath('kube-bench', 'json', 'result.json'), '--node', 'cp-1', '--upload', server.url, '--cluster-name', 'prod'], { KUBEGUARD_TOKEN: server.tokens.uploader });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /imported trivy-operator-rbac-assessment into prod: 1 new, 0 fixed, 0 already reported by kubeguard, of 1 findings/);
    assert.match(r.stderr, /imported kube-bench into prod: 0 new, 0 fixed, 0 already reported by kubeguard, of 0 findings/);
    const items = (await request(`${server.url}/api/v1/findings?cluster=prod`, { token: server.tokens.viewer })).body.items as { ruleId: string; resource: { kind: string; name: string } }[];
    assert.deepEqual(items.map((i) => `${i.ruleId} ${i.resource.kind}/${i.resource.name}`), ['rbac-read-secrets Role/proxy']);
  });
});
