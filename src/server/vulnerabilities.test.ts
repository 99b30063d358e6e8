/**
 * The Vulnerabilities view: advisories grouped from the findings the scanners upload, then one advisory's images →
 * workloads → clusters, ranked by fix availability and exposure. The findings are made by the scanners' own code
 * (scanPackages over an in-memory OSV source, correlateWorkloads, vulnerabilityFinding and the workload message
 * that `scan --images` writes), uploaded over HTTP. On SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, ResourceRef } from '../core/model.js';
import { readVulnerabilityMessage, vulnerabilityFinding } from '../analysis/vulns/findings.js';
import { scanPackages } from '../analysis/vulns/scan.js';
import { eachStore } from '../sources/store/test-support/stores.js';
import { finding, pod, uploadText } from '../sources/upload/test-support/uploads.js';
import { sendUpload } from '../sources/upload/client.js';
import { request, startTestServer } from './test-support/server.js';
import { deploy, PACKAGES, source, workloadFindings } from './test-support/vulnerabilities.js';

it('reads back what the workload message says', () => {
  const [f] = workloadFindings([deploy('web', 'registry.example/web:1', { app: 'web' })]);
  assert.deepEqual(readVulnerabilityMessage(f.message), { fixedIn: '1.3.1', image: 'registry.example/web:1', container: 'main', exposure: 'cluster' });
  const imageOnly = vulnerabilityFinding(scanPackages(source, PACKAGES['registry.example/batch:2']).vulnerabilities.find((v) => v.id === 'CVE-2030-0002')!, { resource: { apiVersion: 'kubeguard.io/v1', kind: 'ContainerImage', name: 'x' } });
  assert.deepEqual(readVulnerabilityMessage(imageOnly.message), {});
});

eachStore('vulnerabilities view', (open) => {
  it('groups advisories worst first, then lists images (fix and exposure first) → workloads → clusters', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const objects = [
        deploy('web', 'registry.example/web:1', { app: 'web' }),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' } } },
        deploy('batch', 'registry.example/batch:2', { app: 'batch' }),
      ];
      const image: ResourceRef = { apiVersion: 'kubeguard.io/v1', kind: 'ContainerImage', name: 'registry.example/batch:2' };
      const imageFindings = scanPackages(source, PACKAGES['registry.example/batch:2']).vulnerabilities.map((v) => vulnerabilityFinding(v, { resource: image }));
      const up = (cluster: string, findings: Finding[], scope: 'cluster' | 'resources' = 'cluster') => sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [uploadText({ cluster, scope, scannedAt: '2026-06-01T10:00:00.000Z', findings })], attempts: 1 });
      await up('prod', [...workloadFindings(objects), finding('pss-privileged', pod('web-1', 'shop'), 'critical')]);
      await up('staging', workloadFindings(objects.slice(2)));
      await up('images', imageFindings, 'resources');

      const list = await request(`${s.url}/api/v1/vulnerabilities`, { token: s.tokens.viewer });
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual(list.body, {
        items: [
          // prod web + prod batch + staging batch; plus the image's own finding
          { id: 'CVE-2030-0001', severity: 'critical', findings: 4, clusters: 3, workloads: 3, images: 1, fixable: true },
          { id: 'CVE-2030-0002', severity: 'high', findings: 3, clusters: 3, workloads: 2, images: 1, fixable: false },
        ],
        truncated: false,
      });
      const unfixed = await request(`${s.url}/api/v1/vulnerabilities?fixable=false&cluster=prod`, { token: s.tokens.viewer });
      assert.deepEqual(
        (unfixed.body.items as { id: string; findings: number }[]).map((i) => [i.id, i.findings]),
        [['CVE-2030-0002', 1]],
      );

      const one = await request(`${s.url}/api/v1/vulnerabilities/CVE-2030-0001`, { token: s.tokens.viewer });
      assert.equal(one.status, 200, JSON.stringify(one.body));
      const images = one.body.images as { image: string; fixedIn?: string; exposure?: string; clusters: string[]; workloads: { cluster: string; name: string; exposure?: string }[]; scans: unknown[] }[];
      // both images have the fix; the one behind a LoadBalancer comes first
      assert.deepEqual(
        images.map((i) => [i.image, i.fixedIn, i.exposure, i.clusters, i.workloads.map((w) => `${w.cluster}/${w.name}:${w.exposure}`), i.scans.length]),
        [
          ['registry.example/web:1', '1.3.1', 'internet', ['prod'], ['prod/web:internet'], 0],
          ['registry.example/batch:2', '1.3.1', 'cluster', ['images', 'prod', 'staging'], ['prod/batch:cluster', 'staging/batch:cluster'], 1],
        ],
      );
      assert.equal(one.body.fixable, true);

      assert.equal((await request(`${s.url}/api/v1/vulnerabilities/pss-privileged`, { token: s.tokens.viewer })).status, 404);
      assert.equal((await request(`${s.url}/api/v1/vulnerabilities/CVE-2030-9999`, { token: s.tokens.viewer })).status, 404);
      assert.equal((await request(`${s.url}/api/v1/vulnerabilities`)).status, 401);
      assert.equal((await request(`${s.url}/api/v1/vulnerabilities?fixable=maybe`, { token: s.tokens.viewer })).status, 400);
    } finally {
      await s.close();
      await store.close();
    }
  });
});
