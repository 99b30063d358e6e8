/**
 * Vulnerability findings as the scanners make them, for tests of what the server and the dashboard show: two
 * advisories over an in-memory OSV source (one with a fix, one without), packages per image, and the findings
 * `scan --images` uploads for a set of workloads (usecases/images/workload-vulns.ts without the registry).
 */
import type { Finding, KubeObject } from '../../core/model.js';
import type { OsvRecord } from '../../analysis/vulns/osv.js';
import { vulnerabilityFinding, workloadVulnerabilityMessage } from '../../analysis/vulns/findings.js';
import { scanPackages } from '../../analysis/vulns/scan.js';
import { MemoryAdvisorySource } from '../../analysis/vulns/source.js';
import { correlateWorkloads } from '../../analysis/vulns/workloads.js';

const osv = (id: string, name: string, fixed: string | undefined, score: string): OsvRecord => ({
  id,
  summary: `${name} flaw`,
  severity: [{ type: 'CVSS_V3', score }],
  affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }] }],
});
const HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'; // 7.5
const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
export const source = new MemoryAdvisorySource([osv('CVE-2030-0001', 'left-pad', '1.3.1', CRITICAL), osv('CVE-2030-0002', 'tiny-json', undefined, HIGH)]);
export const PACKAGES: Record<string, { name: string; version: string; purl: string }[]> = {
  'registry.example/web:1': [{ name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
  'registry.example/batch:2': [{ name: 'left-pad', version: '1.2.0', purl: 'pkg:npm/left-pad@1.2.0' }, { name: 'tiny-json', version: '0.1.0', purl: 'pkg:npm/tiny-json@0.1.0' }],
};
export const deploy = (name: string, image: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', image, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true } }] } } },
});

/** What `scan --images` uploads for these workloads (usecases/images/workload-vulns.ts, without the registry). */
export function workloadFindings(objects: KubeObject[]): Finding[] {
  const ranked = correlateWorkloads(objects, (image) => (PACKAGES[image] ? scanPackages(source, PACKAGES[image]).vulnerabilities : undefined));
  return ranked.flatMap((w, rank) =>
    w.images.flatMap((img) =>
      (img.vulnerabilities ?? []).map((v) => {
        const f = vulnerabilityFinding(v, { resource: w.resource, pathOf: () => `${img.path}/image` });
        return { ...f, message: workloadVulnerabilityMessage(f.message, { image: img.image, container: img.container, rank: rank + 1, of: ranked.length, exposure: w.exposure, privileges: w.privileges }) };
      }),
    ),
  );
}

