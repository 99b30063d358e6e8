/**
 * Synthetic OSV advisories of realistic shape for the benchmark: Debian DEBIAN-CVE records keyed by source
 * package with per-release entries and `versions` lists, Alpine per-branch records, GHSA npm/Maven records with
 * CVSS v3 vectors and several ranges, PYSEC records with aliases and enumerated versions, Go SEMVER records.
 * Deterministic (seeded), so runs are comparable.
 */
import type { OsvRecord } from '../../src/analysis/vulns/osv.js';
import type { Package } from '../../src/analysis/vulns/package.js';
import { rng } from '../support/rng.js';


export interface SynthPlan {
  ecosystem: string;
  count: number;
  names: number;
}

export const PLAN: SynthPlan[] = [
  { ecosystem: 'Debian', count: 30_000, names: 3_000 },
  { ecosystem: 'Alpine', count: 10_000, names: 1_500 },
  { ecosystem: 'npm', count: 20_000, names: 8_000 },
  { ecosystem: 'PyPI', count: 15_000, names: 4_000 },
  { ecosystem: 'Go', count: 10_000, names: 3_000 },
  { ecosystem: 'Maven', count: 15_000, names: 5_000 },
];

const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N',
  'CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
];

export function pkgName(ecosystem: string, i: number): string {
  switch (ecosystem) {
    case 'npm':
      return i % 5 === 0 ? `@scope${i % 97}/pkg-${i}` : `pkg-${i}`;
    case 'PyPI':
      return `py-pkg-${i}`;
    case 'Go':
      return `github.com/org${i % 211}/mod${i}`;
    case 'Maven':
      return `org.example${i % 53}:artifact-${i}`;
    default:
      return `src${i}`;
  }
}

function semverish(r: () => number): [number, number, number] {
  return [Math.floor(r() * 5), Math.floor(r() * 20), Math.floor(r() * 30)];
}

export function* synthRecords(plan: SynthPlan, seed = 1): Generator<OsvRecord> {
  const r = rng(seed);
  for (let i = 0; i < plan.count; i++) {
    const nameIdx = Math.floor(r() * plan.names);
    const name = pkgName(plan.ecosystem, nameIdx);
    const cve = `CVE-${2015 + (i % 10)}-${10000 + i}`;
    const [ma, mi, pa] = semverish(r);
    const base = {
      modified: '2025-11-01T00:00:00Z',
      published: '2024-03-01T00:00:00Z',
      summary: `Synthetic ${plan.ecosystem} advisory ${i} in ${name}`,
      details: 'A crafted input can cause memory corruption in the parser.\nMore details follow here.',
      references: [{ type: 'ADVISORY', url: `https://example.invalid/${cve}` }],
    };
    switch (plan.ecosystem) {
      case 'Debian': {
        const v = (k: number): string => `${ma}.${mi}.${pa}-${k}`;
        yield {
          id: `DEBIAN-${cve}`,
          upstream: [cve],
          ...base,
          affected: ['11', '12'].map((rel, j) => ({
            package: { ecosystem: `Debian:${rel}`, name, purl: `pkg:deb/debian/${name}?arch=source` },
            ranges: [{ type: 'ECOSYSTEM', events: r() < 0.2 ? [{ introduced: '0' }] : [{ introduced: '0' }, { fixed: `${v(3 + j)}+deb${rel}u1` }] }],
            versions: Array.from({ length: 8 }, (_, k) => v(k)),
          })),
        };
        break;
      }
      case 'Alpine':
        yield {
          id: `ALPINE-${cve}`,
          upstream: [cve],
          ...base,
          severity: [{ type: 'CVSS_V3', score: VECTORS[i % 4] }],
          affected: ['v3.18', 'v3.19', 'v3.20'].map((b, j) => ({
            package: { ecosystem: `Alpine:${b}`, name, purl: `pkg:apk/alpine/${name}?arch=source` },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${ma}.${mi}.${pa}-r${j + 2}` }] }],
          })),
        };
        break;
      case 'npm':
      case 'Maven':
        yield {
          id: `GHSA-${i.toString(36).padStart(4, '0')}-syn${plan.ecosystem === 'npm' ? 'n' : 'm'}-xxxx`,
          aliases: [cve],
          ...base,
          severity: [{ type: i % 7 === 0 ? 'CVSS_V4' : 'CVSS_V3', score: VECTORS[i % 7 === 0 ? 4 : i % 4] }],
          database_specific: { severity: 'HIGH', github_reviewed: true },
          affected: [
            {
              package: { ecosystem: plan.ecosystem, name },
              ranges: [
                { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${ma}.${mi}.${pa + 1}` }] },
                { type: 'ECOSYSTEM', events: [{ introduced: `${ma + 1}.0.0` }, { fixed: `${ma + 1}.${mi}.${pa + 2}` }] },
              ],
            },
          ],
        };
        break;
      case 'PyPI':
        yield {
          id: `PYSEC-2024-${i}`,
          aliases: [cve, `GHSA-${i.toString(36).padStart(4, '0')}-synp-xxxx`],
          ...base,
          affected: [
            {
              package: { ecosystem: 'PyPI', name, purl: `pkg:pypi/${name}` },
              ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${ma}.${mi}.${pa + 1}` }] }],
              versions: Array.from({ length: 30 }, (_, k) => `${Math.max(0, ma - 1)}.${k}.0`),
            },
          ],
        };
        break;
      case 'Go':
        yield {
          id: `GO-2024-${i}`,
          aliases: [cve],
          ...base,
          affected: [{ package: { ecosystem: 'Go', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `${ma}.${mi}.${pa + 1}` }] }] }],
        };
        break;
    }
  }
}

/** 1,000 packages of a realistic image: Debian 12 OS packages plus npm, PyPI, Go and Maven dependencies. */
export function synthPackages(seed = 2): Package[] {
  const r = rng(seed);
  const out: Package[] = [];
  const mix: [string, number][] = [['Debian', 200], ['npm', 450], ['PyPI', 150], ['Go', 120], ['Maven', 80]];
  for (const [eco, n] of mix) {
    const plan = PLAN.find((p) => p.ecosystem === eco);
    for (let i = 0; i < n; i++) {
      const idx = Math.floor(r() * (plan?.names ?? 1000) * 1.3); // some names have no advisory
      const name = pkgName(eco, idx);
      const v = `${Math.floor(r() * 5)}.${Math.floor(r() * 20)}.${Math.floor(r() * 30)}`;
      switch (eco) {
        case 'Debian':
          out.push({ name: `lib${name}`, version: `${v}-2`, purl: `pkg:deb/debian/lib${name}@${v}-2?arch=amd64&upstream=${name}&distro=debian-12` });
          break;
        case 'npm':
          out.push({ name, version: v, purl: `pkg:npm/${name.replace('@', '%40')}@${v}` });
          break;
        case 'PyPI':
          out.push({ name, version: v, purl: `pkg:pypi/${name}@${v}` });
          break;
        case 'Go':
          out.push({ name, version: `v${v}`, purl: `pkg:golang/${name}@v${v}` });
          break;
        case 'Maven': {
          const [g, a] = name.split(':');
          out.push({ name: a, version: v, purl: `pkg:maven/${g}/${a}@${v}` });
          break;
        }
      }
    }
  }
  return out;
}
