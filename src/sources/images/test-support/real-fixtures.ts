/**
 * Real package data taken from this machine for image tests, with the expected answers asked from the
 * upstream tools themselves (dpkg-query, rpm, python's importlib.metadata, go version -m, node's resolver).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileSpec } from './build-image.js';

const created: string[] = [];
function scratch(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  created.push(d);
  return d;
}

/** Removes the scratch directories the builders below made. */
export function removeFixtureDirs(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function has(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

/** The first `n` paragraphs of this machine's dpkg status database that name a Source:, plus copyright files. */
export function dpkgExcerpt(n: number): { status: string; names: string[]; files: FileSpec[] } {
  const paragraphs = readFileSync('/var/lib/dpkg/status', 'utf8').split(/\n\n+/).filter((p) => /^Package: /m.test(p));
  const withSource = paragraphs.filter((p) => /^Source: /m.test(p)).slice(0, n - 2);
  const withoutSource = paragraphs.filter((p) => !/^Source: /m.test(p)).slice(0, 2);
  const chosen = [...withSource, ...withoutSource];
  const names = chosen.map((p) => /^Package: (.+)$/m.exec(p)![1]);
  const files: FileSpec[] = [];
  for (const name of names) {
    const f = `/usr/share/doc/${name}/copyright`;
    if (existsSync(f)) files.push({ path: f.slice(1), content: readFileSync(f) });
  }
  return { status: chosen.join('\n\n') + '\n', names, files };
}

export interface DpkgExpected {
  name: string;
  version: string;
  source: string;
  sourceVersion: string;
  arch: string;
}

export function dpkgQuery(names: string[]): DpkgExpected[] {
  const out = execFileSync('dpkg-query', ['-W', '-f', '${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${Architecture}\\n', ...names], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const [name, version, source, sourceVersion, arch] = l.split('\t');
      return { name: name.split(':')[0], version, source, sourceVersion, arch };
    });
}

/** package.json files of real installed npm packages (direct dependencies of this project) and the versions `npm ls` reports. */
export function npmModules(names: string[]): { files: FileSpec[]; expected: { name: string; version: string }[] } {
  const root = new URL('../../../../', import.meta.url).pathname;
  const ls = JSON.parse(execFileSync('npm', ['ls', '--json', '--depth=0', ...names], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
    dependencies: Record<string, { version: string }>;
  };
  const files: FileSpec[] = [];
  const expected: { name: string; version: string }[] = [];
  for (const name of names) {
    files.push({ path: `app/node_modules/${name}/package.json`, content: readFileSync(join(root, 'node_modules', name, 'package.json')) });
    expected.push({ name, version: ls.dependencies[name].version });
  }
  return { files, expected };
}

/** dist-info METADATA files of Debian's python packages and importlib.metadata's reading of them. */
export function pythonDists(max: number): { files: FileSpec[]; expected: { name: string; version: string }[] } {
  const root = '/usr/lib/python3/dist-packages';
  if (!existsSync(root)) return { files: [], expected: [] };
  const dists = readdirSync(root).filter((d) => d.endsWith('.dist-info')).slice(0, max);
  const files: FileSpec[] = [];
  const expected: { name: string; version: string }[] = [];
  for (const d of dists) {
    const meta = join(root, d, 'METADATA');
    if (!existsSync(meta)) continue;
    const out = execFileSync('python3', ['-c', 'import sys\nfrom importlib.metadata import Distribution\nd = Distribution.at(sys.argv[1])\nprint(d.metadata["Name"] + "\\t" + d.version)', join(root, d)], { encoding: 'utf8' });
    const [name, version] = out.trim().split('\t');
    files.push({ path: `usr/lib/python3/dist-packages/${d}/METADATA`, content: readFileSync(meta) });
    expected.push({ name, version });
  }
  return { files, expected };
}

/** `go version -m` of a binary: go version, main module path/version, deps. */
export function goVersionM(bin: string): { goVersion: string; path?: string; main?: string; deps: string[] } {
  const out = execFileSync('go', ['version', '-m', bin], { encoding: 'utf8' });
  const lines = out.split('\n');
  const res: { goVersion: string; path?: string; main?: string; deps: string[] } = { goVersion: lines[0].split(': ')[1].trim(), deps: [] };
  for (const l of lines.slice(1)) {
    const f = l.trim().split('\t');
    if (f[0] === 'path') res.path = f[1];
    if (f[0] === 'mod') res.main = `${f[1]}@${f[2]}`;
    if (f[0] === 'dep') res.deps.push(`${f[1]}@${f[2]}`);
  }
  return res;
}

/**
 * Builds a Go binary offline from a module with one local dependency (a replace directive), so its build
 * info has a main module and a dep. Undefined when the go toolchain is not installed.
 */
export function buildGoBinary(): string | undefined {
  if (!has('go')) return undefined;
  const dir = scratch('kg-go-');
  mkdirSync(join(dir, 'lib'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'lib', 'go.mod'), 'module example.com/greeting\n\ngo 1.19\n');
  writeFileSync(join(dir, 'lib', 'greeting.go'), 'package greeting\n\nfunc Hello() string { return "hello" }\n');
  writeFileSync(join(dir, 'app', 'go.mod'), 'module example.com/app\n\ngo 1.19\n\nrequire example.com/greeting v1.4.2\n\nreplace example.com/greeting v1.4.2 => ../lib\n');
  writeFileSync(join(dir, 'app', 'main.go'), 'package main\n\nimport (\n\t"fmt"\n\t"example.com/greeting"\n)\n\nfunc main() { fmt.Println(greeting.Hello()) }\n');
  execFileSync('go', ['build', '-o', join(dir, 'app-bin'), '.'], {
    cwd: join(dir, 'app'),
    env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod', GOCACHE: join(tmpdir(), 'kg-go-cache'), GOPATH: join(dir, 'gopath'), CGO_ENABLED: '0' },
    stdio: 'ignore',
  });
  return join(dir, 'app-bin');
}

/** An rpm sqlite database made by rpm itself (rpmbuild subpackages installed with --justdb). */
export function buildRpmDb(count: number): { db: Buffer; expected: string[] } | undefined {
  if (!has('rpmbuild') || !has('rpm')) return undefined;
  const top = scratch('kg-rpm-');
  mkdirSync(join(top, 'SPECS'));
  const long = 'A long description line to push header blobs onto SQLite overflow pages. '.repeat(80);
  let spec = `Name: kg-base\nVersion: 1.0\nRelease: 1.el9\nSummary: base\nLicense: MIT\nBuildArch: noarch\n%description\n${long}\n%files\n`;
  for (let i = 0; i < count - 1; i++) {
    spec += `\n%package -n kg-pkg${i}\nSummary: pkg ${i}\nVersion: 2.${i}.0\nEpoch: ${i % 3}\nLicense: ${i % 2 ? 'GPL-2.0-or-later' : 'Apache-2.0 AND MIT'}\n%description -n kg-pkg${i}\n${long}\n%files -n kg-pkg${i}\n`;
  }
  writeFileSync(join(top, 'SPECS', 'kg.spec'), spec);
  execFileSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, join(top, 'SPECS', 'kg.spec')], { stdio: 'ignore' });
  const rpms = readdirSync(join(top, 'RPMS', 'noarch')).map((f) => join(top, 'RPMS', 'noarch', f));
  const db = join(top, 'db');
  mkdirSync(db);
  execFileSync('rpm', ['--dbpath', db, '--initdb']);
  execFileSync('rpm', ['-i', '--dbpath', db, '--nodeps', '--justdb', '--noscripts', '--ignorearch', '--ignoreos', ...rpms], { stdio: 'ignore' });
  const expected = execFileSync('rpm', ['-qa', '--dbpath', db, '--qf', '%{NAME}|%{EPOCHNUM}|%{VERSION}-%{RELEASE}|%{ARCH}|%{LICENSE}|%{SOURCERPM}\\n'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .sort();
  return { db: readFileSync(join(db, 'rpmdb.sqlite')), expected };
}

/** A jar made by the JDK's jar tool with a pom.properties and a manifest, and a war nesting it. */
export function buildJars(): { jar: Buffer; war: Buffer } | undefined {
  if (!has('jar')) return undefined;
  const dir = scratch('kg-jar-');
  mkdirSync(join(dir, 'lib', 'META-INF', 'maven', 'org.example', 'kg-lib'), { recursive: true });
  writeFileSync(join(dir, 'lib', 'META-INF', 'maven', 'org.example', 'kg-lib', 'pom.properties'), '#Generated by Maven\ngroupId=org.example\nartifactId=kg-lib\nversion=3.1.4\n');
  writeFileSync(join(dir, 'lib', 'Hello.txt'), 'hello');
  writeFileSync(join(dir, 'manifest.txt'), 'Implementation-Title: kg-lib\nImplementation-Version: 3.1.4\n');
  execFileSync('jar', ['cfm', join(dir, 'kg-lib-3.1.4.jar'), join(dir, 'manifest.txt'), '-C', join(dir, 'lib'), '.']);
  // A second library without pom.properties: coordinates come from its manifest.
  mkdirSync(join(dir, 'plain'));
  writeFileSync(join(dir, 'plain', 'x.txt'), 'x');
  writeFileSync(join(dir, 'manifest2.txt'), 'Implementation-Title: plain-lib\nImplementation-Version: 0.9\nImplementation-Vendor-Id: com.acme\n');
  execFileSync('jar', ['cfm', join(dir, 'plain-lib-0.9.jar'), join(dir, 'manifest2.txt'), '-C', join(dir, 'plain'), '.']);
  mkdirSync(join(dir, 'war', 'WEB-INF', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'war', 'WEB-INF', 'lib', 'kg-lib-3.1.4.jar'), readFileSync(join(dir, 'kg-lib-3.1.4.jar')));
  writeFileSync(join(dir, 'war', 'WEB-INF', 'lib', 'plain-lib-0.9.jar'), readFileSync(join(dir, 'plain-lib-0.9.jar')));
  execFileSync('jar', ['cf', join(dir, 'shop.war'), '-C', join(dir, 'war'), '.']);
  return { jar: readFileSync(join(dir, 'kg-lib-3.1.4.jar')), war: readFileSync(join(dir, 'shop.war')) };
}
