/**
 * End-to-end analysis of images assembled from real package databases of this machine, read back from an
 * OCI layout, a docker-save archive and a root filesystem directory. Expected answers come from the
 * upstream tools (dpkg-query, rpm, importlib.metadata, go version -m, node's resolver).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyzeImage } from './analyze.js';
import { makeLayer, writeDockerSave, writeOciLayout } from '../../sources/images/test-support/build-image.js';
import { buildGoBinary, buildJars, buildRpmDb, dpkgExcerpt, dpkgQuery, goVersionM, has, npmModules, pythonDists, removeFixtureDirs } from '../../sources/images/test-support/real-fixtures.js';
import type { FileSpec } from '../../sources/images/test-support/build-image.js';
import { analyzerWants } from '../../analysis/images/analyzers/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kg-img-'));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
  removeFixtureDirs();
});
const OS_RELEASE = readFileSync('/etc/os-release');

test('a Debian-like image: dpkg (with Source:), copyright licences, npm, python, java, Go, across gzip/zstd/plain layers', async (t) => {
  const dpkg = dpkgExcerpt(25);
  const npm = npmModules(['tar-stream', 'fzstd', 'packageurl-js', '@cyclonedx/cyclonedx-library']);
  const py = pythonDists(6);
  const jars = buildJars();
  const goBin = buildGoBinary();
  const base: FileSpec[] = [
    { path: 'etc/os-release', content: OS_RELEASE },
    { path: 'var/lib/dpkg/status', content: dpkg.status },
    ...dpkg.files,
  ];
  const apps: FileSpec[] = [...npm.files, ...py.files];
  if (jars) apps.push({ path: 'opt/app/kg-lib-3.1.4.jar', content: jars.jar }, { path: 'opt/app/shop.war', content: jars.war });
  const bins: FileSpec[] = [{ path: 'usr/bin/docker-registry', content: readFileSync('/usr/bin/docker-registry'), mode: 0o755 }];
  if (goBin) bins.push({ path: 'usr/local/bin/app', content: readFileSync(goBin), mode: 0o755 });
  const dir = tmp();
  writeOciLayout(dir, [{ layers: [await makeLayer(base, 'gzip'), await makeLayer(apps, 'zstd'), await makeLayer(bins, 'none')], config: { config: { User: '1000' } } }]);
  const a = await analyzeImage(dir, { now });

  assert.equal(a.os?.id, 'debian');
  assert.equal(a.os?.versionId, '12');

  // dpkg: every package as dpkg-query reports it, with source package and version.
  const expected = dpkgQuery(dpkg.names);
  const debs = a.packages.filter((p) => p.ecosystem === 'deb');
  assert.equal(debs.length, expected.length);
  for (const e of expected) {
    const p = debs.find((d) => d.name === e.name);
    assert.ok(p, `missing ${e.name}`);
    assert.equal(p.version, e.version);
    assert.equal(p.sourceName, e.source, `source of ${e.name}`);
    assert.equal(p.sourceVersion, e.sourceVersion, `source version of ${e.name}`);
    assert.equal(p.arch, e.arch);
    assert.ok(p.purl.startsWith(`pkg:deb/debian/${encodeURIComponent(e.name).replace(/%2B/g, '%2B')}@`), p.purl);
    assert.ok(p.purl.includes(`arch=${e.arch}`) && p.purl.includes('distro=debian-12'), p.purl);
  }
  // Licences: the DEP-5 `License:` values of the package's copyright file (as grep sees them).
  for (const f of dpkg.files) {
    const name = f.path.split('/')[3];
    const first = /^License:[ \t]*(\S.*)$/m.exec(String(f.content))?.[1]?.trim();
    // a copyright file past the capture bound is not read (the host's chromium-common has one of 284 KB)
    const captured = analyzerWants(`/${f.path}`, Buffer.byteLength(f.content ?? '')) >= Buffer.byteLength(f.content ?? '');
    if (first && captured) assert.ok(debs.find((d) => d.name === name)!.licenses.includes(first), `licence ${first} of ${name}`);
  }

  // npm
  for (const e of npm.expected) {
    const p = a.packages.find((x) => x.ecosystem === 'npm' && x.name === e.name);
    assert.equal(p?.version, e.version, e.name);
  }
  assert.ok(a.packages.some((p) => p.purl === `pkg:npm/%40cyclonedx/cyclonedx-library@${npm.expected[3].version}`));

  // python
  for (const e of py.expected) {
    const p = a.packages.find((x) => x.ecosystem === 'pypi' && x.name === e.name);
    assert.equal(p?.version, e.version, e.name);
  }

  // java
  if (!jars) t.diagnostic('jar tool missing: java part skipped');
  else {
    const maven = a.packages.filter((p) => p.ecosystem === 'maven');
    const kg = maven.filter((p) => p.purl === 'pkg:maven/org.example/kg-lib@3.1.4');
    assert.deepEqual(kg.map((p) => p.locations[0].path).sort(), ['/opt/app/kg-lib-3.1.4.jar', '/opt/app/shop.war!/WEB-INF/lib/kg-lib-3.1.4.jar']);
    assert.ok(maven.some((p) => p.purl === 'pkg:maven/com.acme/plain-lib@0.9' && p.locations[0].path === '/opt/app/shop.war!/WEB-INF/lib/plain-lib-0.9.jar'));
  }

  // Go: compare with `go version -m` when the toolchain is there.
  if (!has('go')) t.diagnostic('go toolchain missing: Go comparison skipped');
  else {
    const reg = goVersionM('/usr/bin/docker-registry');
    const std = a.packages.find((p) => p.ecosystem === 'golang' && p.name === 'stdlib' && p.locations[0].path === '/usr/bin/docker-registry');
    assert.equal(std?.version, reg.goVersion.replace(/^go/, 'v'));
    const app = goVersionM(goBin!);
    const appPkgs = a.packages.filter((p) => p.ecosystem === 'golang' && p.locations[0].path === '/usr/local/bin/app');
    assert.ok(app.main, 'go version -m shows a main module');
    assert.ok(appPkgs.some((p) => `${p.name}@${p.version}` === app.main && p.properties?.role === 'main'));
    for (const d of app.deps) assert.ok(appPkgs.some((p) => `${p.name}@${p.version}` === d), `dep ${d}`);
    assert.ok(appPkgs.some((p) => p.purl === 'pkg:golang/example.com/greeting@v1.4.2'));
  }
  assert.deepEqual(a.notes, []);
});

test('an RPM image: the SQLite rpmdb made by rpm itself reads back as rpm -qa says', async (t) => {
  const rpm = buildRpmDb(40);
  if (!rpm) return t.skip('rpm/rpmbuild not installed');
  const dir = tmp();
  const osRelease = 'NAME="Red Hat Enterprise Linux"\nVERSION="9.3 (Plow)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.3"\n';
  writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'etc/os-release', content: osRelease }, { path: 'var/lib/rpm/rpmdb.sqlite', content: rpm.db }])] }]);
  const a = await analyzeImage(dir, { now });
  const got = a.packages
    .filter((p) => p.ecosystem === 'rpm')
    .map((p) => {
      const epoch = /epoch=(\d+)/.exec(p.purl)?.[1] ?? '0';
      return `${p.name}|${epoch}|${p.version.replace(/^\d+:/, '')}|${p.arch}|${p.licenses.join()}|${p.sourceName}-${p.sourceVersion}.src.rpm`;
    })
    .sort();
  assert.deepEqual(got, rpm.expected);
  const one = a.packages.find((p) => p.name === 'kg-pkg1')!;
  assert.equal(one.purl, 'pkg:rpm/redhat/kg-pkg1@2.1.0-1.el9?arch=noarch&distro=rhel-9.3&epoch=1');
});

test('an Alpine image: the apk installed database (apk-tools format) with origin and licence', async () => {
  const db = [
    'C:Q1Dvs0rhUDHvCn7BkmNUg3KtWmB3E=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:407493\nI:663552\nT:the musl c library (libc) implementation\nU:https://musl.libc.org/\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\nt:1705325340\nc:c65d28d1c4e0c2a5b4d1c5dc1a7c5a9a8ec4d6b0\nF:lib\nR:ld-musl-x86_64.so.1\n',
    'P:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\nF:usr/lib\nR:libcrypto.so.3\n',
    'P:busybox-binsh\nV:1.36.1-r15\nA:x86_64\nL:GPL-2.0-only\no:busybox\n',
  ].join('\n');
  const dir = tmp();
  writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' }, { path: 'lib/apk/db/installed', content: db }])] }]);
  const a = await analyzeImage(dir, { now });
  const apks = a.packages.filter((p) => p.ecosystem === 'apk');
  assert.deepEqual(apks.map((p) => p.purl), [
    'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1',
    'pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1',
    'pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=3.19.1',
  ]);
  assert.equal(apks[1].sourceName, 'openssl');
  assert.deepEqual(apks[2].licenses, ['GPL-2.0-only']);
});

test('a distroless image: status.d paragraphs, and a whiteout that removed a package database entry', async () => {
  const dpkg = dpkgExcerpt(4);
  const paras = dpkg.status.trim().split(/\n\n+/);
  const files: FileSpec[] = paras.map((p, i) => ({ path: `var/lib/dpkg/status.d/${dpkg.names[i]}`, content: p + '\n' }));
  files.push({ path: `var/lib/dpkg/status.d/${dpkg.names[0]}.md5sums`, content: 'd41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n' });
  const dir = tmp();
  writeOciLayout(dir, [
    {
      layers: [
        await makeLayer([{ path: 'etc/os-release', content: OS_RELEASE }, ...files]),
        await makeLayer([{ path: `var/lib/dpkg/status.d/.wh.${dpkg.names[3]}` }], 'zstd'),
      ],
    },
  ]);
  const a = await analyzeImage(dir, { now });
  const expected = dpkgQuery(dpkg.names.slice(0, 3));
  assert.deepEqual(
    a.packages.map((p) => [p.name, p.version, p.sourceName]).sort(),
    expected.map((e) => [e.name, e.version, e.source]).sort(),
  );
});

test('docker-save archives and root filesystem directories analyse like the OCI layout', async () => {
  const dpkg = dpkgExcerpt(5);
  const layer = await makeLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: dpkg.status }]);
  const file = join(tmp(), 'image.tar');
  await writeDockerSave(file, { layers: [layer], config: { config: { User: 'app' } } });
  const a = await analyzeImage(file, { now });
  assert.equal(a.image.kind, 'docker-archive');
  assert.equal(a.packages.length, 5);
  assert.equal(a.hygiene.findings.filter((f) => f.ruleId === 'image-runs-as-root').length, 0);

  const root = tmp();
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'os-release'), OS_RELEASE);
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), dpkg.status);
  // A symlink pointing at the host's root must resolve inside the rootfs, never on the host.
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
  symlinkSync('/../../../../etc/shadow', join(root, 'usr/lib/os-release'));
  const r = await analyzeImage(root, { now });
  assert.equal(r.image.kind, 'rootfs');
  assert.deepEqual(r.packages.map((p) => p.name).sort(), a.packages.map((p) => p.name).sort());
  assert.equal(r.hygiene.notEvaluated.find((n) => n.ruleId === 'image-runs-as-root')?.reason.includes('no config'), true);
  assert.ok(dirname(root));
});

test('an application lockfile (this project\'s own package-lock.json, v3): every package `npm ls --package-lock-only` lists', async () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const ls = JSON.parse(execFileSync('npm', ['ls', '--package-lock-only', '--all', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 })) as {
    dependencies?: Record<string, LsNode>;
  };
  const expected = new Set<string>();
  const walk = (deps: Record<string, LsNode> | undefined): void => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      if (d.version) expected.add(`${name}@${d.version}`);
      walk(d.dependencies);
    }
  };
  walk(ls.dependencies);
  const lock = readFileSync(join(root, 'package-lock.json'));
  const dir = tmp();
  writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'srv/app/package-lock.json', content: lock }])] }]);
  const a = await analyzeImage(dir, { now });
  const got = new Set(a.packages.filter((p) => p.ecosystem === 'npm').map((p) => `${p.name}@${p.version}`));
  const missing = [...expected].filter((x) => !got.has(x));
  assert.deepEqual(missing, []);
  // Anything extra must be a lockfile entry npm ls leaves out: optional packages for other platforms.
  const packages = (JSON.parse(lock.toString()) as { packages: Record<string, { version?: string; optional?: boolean; name?: string }> }).packages;
  for (const x of [...got].filter((g) => !expected.has(g))) {
    const entry = Object.entries(packages).find(([k, v]) => `${v.name ?? k.slice(k.lastIndexOf('node_modules/') + 13)}@${v.version}` === x);
    assert.ok(entry?.[1].optional, `${x} is neither listed by npm ls nor optional`);
  }
});

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}
