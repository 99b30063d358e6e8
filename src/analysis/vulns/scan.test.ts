/**
 * Matching on real OSV records (testdata/osv, facts from its SOURCE.md and the records themselves)
 * and on records written here after the OSV schema with real-world shapes. Expected answers follow from the
 * records' own ranges/versions lists and the ecosystems' version orderings, not from this code's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import type { OsvRecord } from './osv.js';
import type { Package } from './package.js';
import { scanPackages, type Vulnerability } from './scan.js';
import { MemoryAdvisorySource } from './source.js';
import { parseOpenVex } from './vex.js';
import { vulnerabilityFindings, isVulnerabilityRuleId } from './findings.js';

function real(path: string): OsvRecord {
  return JSON.parse(readFileSync(join(conformanceDir('osv', 'records'), path), 'utf8')) as OsvRecord;
}

const REAL = ['Alpine/ALPINE-CVE-2025-26519.json', 'Debian/DLA-3008-1.json', 'Debian/DLA-3051-1.json', 'Debian/DSA-1543-1.json', 'npm/GHSA-whgm-jr23-g3j9.json', 'npm/GHSA-35jh-r3h4-6jhm.json', 'PyPI/PYSEC-2023-62.json', 'PyPI/PYSEC-2021-98.json'].map(real);

function scanOne(records: OsvRecord[], pkg: Package, opts = {}): Vulnerability[] {
  const r = scanPackages(new MemoryAdvisorySource(records), [pkg], opts);
  return r.vulnerabilities;
}

const deb = (name: string, version: string, distro = 'debian-9', upstream?: string): Package => ({
  name,
  version,
  purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=amd64${upstream ? `&upstream=${upstream}` : ''}&distro=${distro}`,
});

test('Debian DLA: every listed version is affected, the fixed one is not; fix reported', () => {
  const dla = real('Debian/DLA-3008-1.json');
  const listed = dla.affected?.[0].versions ?? [];
  assert.equal(listed.length, 19);
  for (const v of listed) {
    const vulns = scanOne(REAL, deb('openssl', v));
    assert.equal(vulns.length, 1, v);
    assert.equal(vulns[0].fixedVersion, '1.1.0l-1~deb9u6');
  }
  assert.deepEqual(scanOne(REAL, deb('openssl', '1.1.0l-1~deb9u6')), []);
  // a later stretch update is above the fix
  assert.deepEqual(scanOne(REAL, deb('openssl', '1.1.0l-1~deb9u7')), []);
});

test('Debian: advisories are keyed by source package — a binary package matches through upstream/sourceName', () => {
  const viaPurl = scanOne(REAL, deb('libssl1.1', '1.1.0l-1~deb9u5', 'debian-9', 'openssl'));
  assert.equal(viaPurl.length, 1);
  assert.equal(viaPurl[0].query.name, 'openssl');
  const viaField = scanOne(REAL, { ...deb('libssl1.1', '1.1.0l-1~deb9u5'), sourceName: 'openssl' });
  assert.equal(viaField.length, 1);
  // the binary name alone is not an advisory key: no match, no guess
  assert.deepEqual(scanOne(REAL, deb('libssl1.1', '1.1.0l-1~deb9u5')), []);
});

test('distro awareness: the release and the distro family must match', () => {
  assert.deepEqual(scanOne(REAL, deb('openssl', '1.1.0l-1~deb9u5', 'debian-10')), []);
  const alpine: Package = { name: 'openssl', version: '1.1.0l-r0', purl: 'pkg:apk/alpine/openssl@1.1.0l-r0?arch=x86_64&distro=alpine-3.9.0' };
  assert.deepEqual(scanOne(REAL, alpine), []);
  // no release known: cannot be judged, and is said so
  const r = scanPackages(new MemoryAdvisorySource(REAL), [{ name: 'openssl', version: '1.1.0l-1~deb9u5', purl: 'pkg:deb/debian/openssl@1.1.0l-1~deb9u5' }]);
  assert.equal(r.vulnerabilities.length, 0);
  assert.equal(r.notEvaluated.length, 1);
  assert.match(r.notEvaluated[0].reason, /distro/);
});

test('aliases: DLA + upstream CVE / DEBIAN-CVE merge into one CVE-keyed vulnerability', () => {
  const [v] = scanOne(REAL, deb('openssl', '1.1.0l-1~deb9u5'));
  assert.equal(v.id, 'CVE-2022-1292');
  assert.ok(v.aliases.includes('DLA-3008-1'));
  assert.ok(v.aliases.includes('DEBIAN-CVE-2022-1292'));
  // A separate DEBIAN-CVE record for the same CVE is the same vulnerability: still one
  const debianCve: OsvRecord = {
    id: 'DEBIAN-CVE-2022-1292',
    upstream: ['CVE-2022-1292'],
    affected: [{ package: { ecosystem: 'Debian:9', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.0l-1~deb9u6' }] }] }],
  };
  const merged = scanOne([...REAL, debianCve], deb('openssl', '1.1.0l-1~deb9u5'));
  assert.equal(merged.length, 1);
  assert.deepEqual(merged[0].advisories, ['DEBIAN-CVE-2022-1292', 'DLA-3008-1']);
});

test('Debian DSA with eight upstream CVEs: reported under its own id; folded when every CVE is reported', () => {
  const vlc = deb('vlc', '0.8.6-svn20061012.debian-5', 'debian-4.0');
  const [v] = scanOne(REAL, vlc);
  assert.equal(v.id, 'DSA-1543-1');
  assert.equal(v.fixedVersion, '0.8.6-svn20061012.debian-5.1+etch2');
  assert.ok(v.aliases.includes('CVE-2008-1489'));
  const dsa = real('Debian/DSA-1543-1.json');
  const perCve: OsvRecord[] = (dsa.upstream ?? [])
    .filter((u) => u.startsWith('CVE-'))
    .map((cve) => ({ id: `DEBIAN-${cve}`, upstream: [cve], affected: [{ package: { ecosystem: 'Debian:4.0', name: 'vlc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.8.6-svn20061012.debian-5.1+etch2' }] }] }] }));
  const all = scanOne([dsa, ...perCve], vlc);
  assert.equal(all.length, 8);
  assert.ok(all.every((x) => x.id.startsWith('CVE-') && x.aliases.includes('DSA-1543-1')));
  // odd Debian version: the fixed one is not affected
  assert.deepEqual(scanOne(REAL, deb('vlc', '0.8.6-svn20061012.debian-5.1+etch2', 'debian-4.0')), []);
});

test('Alpine: per-branch fixed versions, introduced above 0, CVE from upstream, CVSS v3 severity', () => {
  const musl = (v: string, distro: string): Package => ({ name: 'musl', version: v, purl: `pkg:apk/alpine/musl@${v}?arch=x86_64&distro=${distro}` });
  const [v319] = scanOne(REAL, musl('1.2.4_git20230717-r4', '3.19.1'));
  assert.equal(v319.id, 'CVE-2025-26519');
  assert.equal(v319.fixedVersion, '1.2.4_git20230717-r5');
  assert.equal(v319.severity.score, 7.0); // CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H
  assert.equal(v319.severity.severity, 'high');
  assert.deepEqual(scanOne(REAL, musl('1.2.4_git20230717-r5', '3.19.1')), []);
  const [v318] = scanOne(REAL, musl('1.2.4-r2', 'alpine-3.18.4'));
  assert.equal(v318.fixedVersion, '1.2.4-r3');
  // below `introduced: 0.9.13`
  assert.deepEqual(scanOne(REAL, musl('0.9.12-r0', '3.19.0')), []);
  // a branch the advisory does not list
  assert.deepEqual(scanOne(REAL, musl('1.2.3-r0', '3.15.0')), []);
});

test('npm: ECOSYSTEM and SEMVER ranges, two affected packages in one record', () => {
  const npm = (n: string, v: string): Package => ({ name: n, version: v, purl: `pkg:npm/${n}@${v}` });
  for (const name of ['lodash', 'lodash-es']) {
    const [v] = scanOne(REAL, npm(name, '4.17.20'));
    assert.equal(v.id, 'CVE-2021-23337');
    assert.equal(v.fixedVersion, '4.17.21');
    assert.equal(v.severity.score, 7.2);
    assert.deepEqual(scanOne(REAL, npm(name, '4.17.21')), []);
  }
  const [a] = scanOne(REAL, npm('ansi-html', '0.0.7'));
  assert.equal(a.fixedVersion, '0.0.8');
  assert.equal(a.severity.score, 7.5);
  assert.deepEqual(scanOne(REAL, npm('ansi-html', '0.0.8')), []);
});

test('PyPI: several introduced/fixed pairs in one range; GIT ranges ignored; PEP 503 names', () => {
  const py = (n: string, v: string): Package => ({ name: n, version: v, purl: `pkg:pypi/${n}@${v}` });
  for (const v of ['2.3.0', '2.3.1']) assert.equal(scanOne(REAL, py('flask', v))[0]?.fixedVersion, '2.3.2', v);
  assert.equal(scanOne(REAL, py('Flask', '2.2.4'))[0]?.fixedVersion, '2.2.5');
  for (const v of ['2.2.5', '2.3.2']) assert.deepEqual(scanOne(REAL, py('flask', v)), [], v);
  assert.equal(scanOne(REAL, py('django', '3.2.3'))[0]?.fixedVersion, '3.2.4');
  assert.equal(scanOne(REAL, py('Django', '3.1.11'))[0]?.fixedVersion, '3.1.12');
  for (const v of ['2.2.24', '3.1.12', '3.2.4']) assert.deepEqual(scanOne(REAL, py('django', v)), [], v);
  // PEP 440 puts 3.2rc1 below 3.2 (introduced) and above 3.1.12 (fixed): in the gap, not affected
  assert.deepEqual(scanOne(REAL, py('django', '3.2rc1')), []);
  assert.equal(scanOne(REAL, py('django', '1.10a1')).length, 1);
  // only a GIT range and a versions list (a common PYSEC shape): the list decides
  const gitOnly: OsvRecord = {
    id: 'PYSEC-2099-1',
    affected: [{ package: { ecosystem: 'PyPI', name: 'some-pkg' }, ranges: [{ type: 'GIT', repo: 'https://example.invalid/r', events: [{ introduced: '0' }, { fixed: 'abc123' }] }], versions: ['1.0', '1.1'] }],
  };
  const [listed] = scanOne([gitOnly], py('Some_Pkg', '1.1'));
  assert.equal(listed.via, 'versions');
  assert.deepEqual(scanOne([gitOnly], py('some-pkg', '1.2')), []);
});

test('aliases: GHSA and PYSEC for one CVE are one vulnerability', () => {
  const ghsa: OsvRecord = {
    id: 'GHSA-68w8-qjq3-2gfm',
    aliases: ['CVE-2021-33203'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N' }],
    affected: [{ package: { ecosystem: 'PyPI', name: 'django' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.2' }, { fixed: '3.2.4' }] }] }],
  };
  const vulns = scanOne([...REAL, ghsa], { name: 'django', version: '3.2.1', purl: 'pkg:pypi/django@3.2.1' });
  assert.equal(vulns.length, 1);
  assert.equal(vulns[0].id, 'CVE-2021-33203');
  assert.deepEqual(vulns[0].advisories, ['GHSA-68w8-qjq3-2gfm', 'PYSEC-2021-98']);
  assert.equal(vulns[0].severity.score, 4.4);
});

const rec = (id: string, ecosystem: string, name: string, events: object[], extra: Partial<OsvRecord> = {}, type = 'ECOSYSTEM'): OsvRecord => ({
  id,
  affected: [{ package: { ecosystem, name }, ranges: [{ type, events: events as never }] }],
  ...extra,
});

test('fixed vs last_affected', () => {
  const la = rec('GHSA-last-aff1-xxxx', 'npm', 'pkg', [{ introduced: '1.0.0' }, { last_affected: '1.2.0' }]);
  const p = (v: string): Package => ({ name: 'pkg', version: v, purl: `pkg:npm/pkg@${v}` });
  assert.equal(scanOne([la], p('0.9.0')).length, 0);
  const [v] = scanOne([la], p('1.2.0'));
  assert.equal(v.lastAffected, '1.2.0');
  assert.equal(v.fixedVersion, undefined);
  assert.equal(scanOne([la], p('1.2.1')).length, 0);
  const fx = rec('GHSA-fixd-aff1-xxxx', 'npm', 'pkg', [{ introduced: '1.0.0' }, { fixed: '1.2.0' }]);
  assert.equal(scanOne([fx], p('1.2.0')).length, 0);
  assert.equal(scanOne([fx], p('1.2.0-rc.1'))[0]?.fixedVersion, '1.2.0');
});

test('multiple ranges (Maven, log4j-core shape of GHSA-jfh8-c2jp-5v3q) and limit events', () => {
  const log4j: OsvRecord = {
    id: 'GHSA-jfh8-c2jp-5v3q',
    aliases: ['CVE-2021-44228'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' },
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '2.13.0' }, { fixed: '2.15.0' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '2.4' }, { fixed: '2.12.2' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.1' }] },
        ],
      },
    ],
  };
  const m = (v: string): Package => ({ name: 'log4j-core', version: v, purl: `pkg:maven/org.apache.logging.log4j/log4j-core@${v}` });
  assert.equal(scanOne([log4j], m('2.14.1'))[0]?.fixedVersion, '2.15.0');
  assert.equal(scanOne([log4j], m('2.12.1'))[0]?.fixedVersion, '2.12.2');
  assert.equal(scanOne([log4j], m('2.0-beta9'))[0]?.fixedVersion, '2.3.1');
  assert.equal(scanOne([log4j], m('2.15.0-rc1'))[0]?.fixedVersion, '2.15.0');
  for (const v of ['2.3.1', '2.12.2', '2.15.0', '2.17.1']) assert.equal(scanOne([log4j], m(v)).length, 0, v);
  const [v] = scanOne([log4j], m('2.14.1'));
  assert.equal(v.id, 'CVE-2021-44228');
  assert.equal(v.severity.score, 10);
  assert.equal(v.severity.severity, 'critical');
  const limited = rec('OSV-LIMIT-1', 'npm', 'lim', [{ introduced: '0' }, { limit: '2.0.0' }]);
  assert.equal(scanOne([limited], { name: 'lim', version: '1.9.9', purl: 'pkg:npm/lim@1.9.9' }).length, 1);
  assert.equal(scanOne([limited], { name: 'lim', version: '2.0.0', purl: 'pkg:npm/lim@2.0.0' }).length, 0);
});

test('epochs: dpkg and rpm', () => {
  const d = rec('DEBIAN-CVE-2099-0001', 'Debian:12', 'foo', [{ introduced: '0' }, { fixed: '1:2.3-1' }]);
  // no epoch = epoch 0, so 2.9-1 < 1:2.3-1
  assert.equal(scanOne([d], deb('foo', '2.9-1', 'debian-12'))[0]?.fixedVersion, '1:2.3-1');
  assert.equal(scanOne([d], deb('foo', '1:2.3-1', 'debian-12')).length, 0);
  assert.equal(scanOne([d], deb('foo', '1:2.3-1+b1', 'debian-12')).length, 0);
  const r = rec('RLSA-2099:0001', 'Rocky Linux:9', 'bar', [{ introduced: '0' }, { fixed: '2:1.0-3.el9' }]);
  const rpm = (v: string, epoch?: string): Package => ({ name: 'bar', version: v, purl: `pkg:rpm/rocky/bar@${v}?arch=x86_64${epoch ? `&epoch=${epoch}` : ''}&distro=rocky-9.3` });
  assert.equal(scanOne([r], rpm('1.0-3.el9', '1')).length, 1);
  assert.equal(scanOne([r], rpm('1.0-3.el9', '2')).length, 0);
  assert.equal(scanOne([r], rpm('0.9-1.el9', '3')).length, 0);
});

test('unfixed advisories: reported without a fix; dropped and counted with ignoreUnfixed', () => {
  const unfixed = rec('DEBIAN-CVE-2099-0002', 'Debian:12', 'openssl', [{ introduced: '0' }], { upstream: ['CVE-2099-0002'] });
  const pkg = deb('libssl3', '3.0.11-1~deb12u2', 'debian-12', 'openssl');
  const [v] = scanOne([unfixed], pkg);
  assert.equal(v.id, 'CVE-2099-0002');
  assert.equal(v.fixedVersion, undefined);
  const r = scanPackages(new MemoryAdvisorySource([unfixed]), [pkg], { ignoreUnfixed: true });
  assert.equal(r.vulnerabilities.length, 0);
  assert.equal(r.unfixedIgnored, 1);
});

test('withdrawn advisories are ignored', () => {
  const w = rec('GHSA-with-draw-nxxx', 'npm', 'left-pad', [{ introduced: '0' }], { withdrawn: '2024-01-02T00:00:00Z' });
  assert.equal(scanOne([w], { name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' }).length, 0);
});

test('Ubuntu ecosystem with :LTS suffix; Go with +incompatible and pseudo-versions', () => {
  const u = rec('UBUNTU-CVE-2099-0003', 'Ubuntu:22.04:LTS', 'curl', [{ introduced: '0' }, { fixed: '7.81.0-1ubuntu1.15' }]);
  const curl: Package = { name: 'curl', version: '7.81.0-1ubuntu1.14', purl: 'pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.14?arch=amd64&distro=ubuntu-22.04' };
  assert.equal(scanOne([u], curl)[0]?.fixedVersion, '7.81.0-1ubuntu1.15');
  const g = rec('GO-2099-0001', 'Go', 'github.com/docker/docker', [{ introduced: '0' }, { fixed: '20.10.27+incompatible' }], {}, 'SEMVER');
  const go = (v: string): Package => ({ name: 'github.com/docker/docker', version: v, purl: `pkg:golang/github.com/docker/docker@${encodeURIComponent(v)}` });
  assert.equal(scanOne([g], go('v20.10.24+incompatible')).length, 1);
  assert.equal(scanOne([g], go('v20.10.27+incompatible')).length, 0);
  const g2 = rec('GO-2099-0002', 'Go', 'golang.org/x/net', [{ introduced: '0' }, { fixed: '0.17.0' }], {}, 'SEMVER');
  const net = (v: string): Package => ({ name: 'golang.org/x/net', version: v, purl: `pkg:golang/golang.org/x/net@${v}` });
  assert.equal(scanOne([g2], net('v0.0.0-20220722155237-a158d28d115b')).length, 1);
  assert.equal(scanOne([g2], net('v0.17.1-0.20231010000000-abcdefabcdef')).length, 0);
});

test('an unorderable version is reported as not evaluated, never as clean', () => {
  const r = scanPackages(new MemoryAdvisorySource(REAL), [{ name: 'lodash', version: 'not-a-version', purl: 'pkg:npm/lodash@not-a-version' }]);
  assert.equal(r.vulnerabilities.length, 0);
  assert.ok(r.notEvaluated.some((n) => /GHSA-35jh-r3h4-6jhm/.test(n.reason)));
});

test('OpenVEX not_affected suppresses with its justification; other statuses do not', () => {
  const vex = parseOpenVex({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    statements: [
      {
        vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337', name: 'CVE-2021-23337' },
        products: [{ '@id': 'pkg:oci/app?repository_url=registry.example/app', subcomponents: [{ '@id': 'pkg:npm/lodash' }] }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: 'template() is never called',
      },
      { vulnerability: { name: 'CVE-2021-23424' }, products: [{ '@id': 'pkg:npm/ansi-html@0.0.7' }], status: 'under_investigation' },
      // an alias works too, and a later statement overrides an earlier one for the same pair
      { vulnerability: { name: 'GHSA-whgm-jr23-g3j9' }, products: ['pkg:npm/ansi-html'], status: 'not_affected', justification: 'component_not_present', timestamp: '2024-01-01T00:00:00Z' },
      { vulnerability: { name: 'CVE-2021-23424' }, products: ['pkg:npm/ansi-html'], status: 'affected', timestamp: '2024-02-01T00:00:00Z' },
    ],
  });
  const pkgs: Package[] = [
    { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
    { name: 'lodash-es', version: '4.17.20', purl: 'pkg:npm/lodash-es@4.17.20' },
    { name: 'ansi-html', version: '0.0.7', purl: 'pkg:npm/ansi-html@0.0.7' },
  ];
  const r = scanPackages(new MemoryAdvisorySource(REAL), pkgs, { vex: [vex], vexProducts: ['pkg:oci/app?repository_url=registry.example/app'] });
  assert.deepEqual(r.suppressed.map((s) => [s.vulnerability.package.name, s.vex.justification]), [['lodash', 'vulnerable_code_not_in_execute_path']]);
  assert.deepEqual(r.vulnerabilities.map((v) => v.package.name).sort(), ['ansi-html', 'lodash-es']);
  // without naming the image as a product, the image-scoped statement does not apply
  const r2 = scanPackages(new MemoryAdvisorySource(REAL), pkgs, { vex: [vex] });
  assert.equal(r2.suppressed.length, 0);
});

test('findings: ruleId is the vulnerability id, severity from CVSS, path points at the package', () => {
  const r = scanPackages(new MemoryAdvisorySource(REAL), [{ name: 'ansi-html', version: '0.0.7', purl: 'pkg:npm/ansi-html@0.0.7' }]);
  const [f] = vulnerabilityFindings(r.vulnerabilities, { resource: { apiVersion: 'kubeguard.dev/v1', kind: 'ContainerImage', name: 'app:1' } });
  assert.equal(f.ruleId, 'CVE-2021-23424');
  assert.equal(f.severity, 'high');
  assert.equal(f.path, '/packages/0');
  assert.match(f.message, /fixed in 0\.0\.8/);
  assert.ok(isVulnerabilityRuleId(f.ruleId));
  assert.ok(!isVulnerabilityRuleId('privileged-container'));
});

test('Node.js runtime versions against a real Bitnami record (HTTP/2 rapid reset: fixed in 18.18.2 and 20.8.1)', () => {
  // Fields as in github.com/bitnami/vulndb data/node/BIT-node-2023-44487.json (commit 03864a58), references omitted.
  const record = {
    schema_version: '1.5.0',
    id: 'BIT-node-2023-44487',
    aliases: ['CVE-2023-44487'],
    affected: [
      {
        package: { ecosystem: 'Bitnami', name: 'node', purl: 'pkg:bitnami/node' },
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '18.18.2' }, { introduced: '19.0.0' }, { fixed: '20.8.1' }] }],
      },
    ],
  } as unknown as OsvRecord;
  const node = (version: string): Package => ({ name: 'node', version, purl: `pkg:generic/node@${version}` });
  assert.deepEqual(scanOne([record], node('20.5.0')).map((v) => v.id), ['CVE-2023-44487']);
  assert.deepEqual(scanOne([record], node('18.18.1')).map((v) => v.id), ['CVE-2023-44487']);
  assert.deepEqual(scanOne([record], node('18.18.2')), []);
  assert.deepEqual(scanOne([record], node('20.20.2')), []);
});
