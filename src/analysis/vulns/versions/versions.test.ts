/**
 * Upstream version-comparison vectors, vendored in testdata/versions (see its SOURCE.md),
 * plus Maven's own ComparableVersionTest data and golang.org/x/mod/semver's test table (transcribed below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../../test-support/conformance.js';
import { compareDpkg } from './dpkg.js';
import { apkFuzzyEqual, compareApk, isValidApk } from './apk.js';
import { rpmvercmp } from './rpm.js';
import { compareSemverNode } from './npm.js';
import { comparePep440, normalizePep440, parsePep440 } from './pep440.js';
import { canonicalMaven, compareMaven } from './maven.js';
import { compareGo, parseGo } from './go.js';
import { sign } from './scheme.js';

const dir = (): string => conformanceDir('versions');

function rows(file: string): string[][] {
  return readFileSync(join(dir(), file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

function lines(file: string): string[] {
  return readFileSync(join(dir(), file), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** Runs every `a<TAB>b<TAB>expected` row and reports the count; all must pass. */
function checkTsv(file: string, cmp: (a: string, b: string) => number): void {
  const data = rows(file);
  assert.ok(data.length > 0, `${file} is empty`);
  const failures: string[] = [];
  for (const [a, b, expected] of data) {
    let got: number | string;
    try {
      got = sign(cmp(a, b));
    } catch (e) {
      got = `threw ${(e as Error).message}`;
    }
    if (got !== Number(expected)) failures.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: expected ${expected}, got ${got}`);
  }
  console.log(`${file}: ${data.length - failures.length}/${data.length} passed`);
  assert.deepEqual(failures, []);
}

test('dpkg: Dpkg_Version.t vectors', () => checkTsv('dpkg.tsv', compareDpkg));
test('dpkg: libdpkg t-version.c vectors', () => checkTsv('dpkg-libdpkg.tsv', compareDpkg));

test('apk: apk-tools version.data comparisons', () => checkTsv('apk.tsv', compareApk));
test('apk: fuzzy operators', () => {
  const data = rows('apk-operators.tsv');
  for (const [a, op, b] of data) {
    const c = compareApk(a, b);
    const fuzzy = apkFuzzyEqual(a, b);
    const holds = op === '~' ? fuzzy : op === '<~' ? c < 0 || fuzzy : op === '>~' ? c > 0 || fuzzy : op === '!~' ? !fuzzy : undefined;
    assert.equal(holds, true, `${a} ${op} ${b}`);
  }
  console.log(`apk-operators.tsv: ${data.length}/${data.length} passed`);
});
test('apk: validity', () => {
  const data = readFileSync(join(dir(), 'apk-validity.tsv'), 'utf8').split('\n').slice(0, -1).map((l) => l.split('\t'));
  for (const [v, expected] of data) assert.equal(isValidApk(v), expected === 'valid', JSON.stringify(v));
  console.log(`apk-validity.tsv: ${data.length}/${data.length} passed`);
});

test('rpm: rpmvercmp.at vectors (incl. tilde and caret)', () => checkTsv('rpm.tsv', rpmvercmp));

test('semver (npm): node-semver strict comparisons', () => checkTsv('semver.tsv', (a, b) => compareSemverNode(a, b, false)));
test('semver (npm): node-semver loose comparisons', () => checkTsv('semver-loose.tsv', (a, b) => compareSemverNode(a, b, true)));
test('semver (npm): strict mode rejects loose-only versions', () => {
  const data = lines('semver-strict-invalid.txt');
  for (const v of data) assert.throws(() => compareSemverNode(v, '1.2.3', false), /invalid semver/, v);
  console.log(`semver-strict-invalid.txt: ${data.length}/${data.length} passed`);
});

test('pep440: packaging VERSIONS sort order (all ordered pairs)', () => checkTsv('pep440.tsv', comparePep440));
test('pep440: normalisation', () => {
  const data = rows('pep440-normalization.tsv');
  for (const [input, normalized] of data) {
    // test_normalized_versions: str(Version(input)) == normalized; test_version_rc_and_c_equals adds pairs whose
    // second member is not canonical ("1.0c1"), so compare canonical forms and the ordering.
    assert.equal(normalizePep440(input), normalizePep440(normalized), input);
    if (normalizePep440(normalized) === normalized) assert.equal(normalizePep440(input), normalized, input);
    assert.equal(comparePep440(input, normalized), 0, input);
  }
  console.log(`pep440-normalization.tsv: ${data.length}/${data.length} passed`);
});
test('pep440: invalid versions are rejected', () => {
  const data = lines('pep440-invalid.txt');
  for (const v of data) assert.equal(parsePep440(v), undefined, v);
  console.log(`pep440-invalid.txt: ${data.length}/${data.length} passed`);
});
test('pep440: the ordered list is strictly ascending', () => {
  const list = lines('pep440-ordered.txt');
  for (let i = 1; i < list.length; i++) assert.equal(comparePep440(list[i - 1], list[i]), -1, `${list[i - 1]} < ${list[i]}`);
});

// apache/maven maven-artifact ComparableVersionTest.java (current line: versionsQualifier, versionsNumber,
// versionsEqual, versionsHaveSameOrderButAreNotEqual, versionComparing, leadingZeroes, mng5568, mng6572, mng6964,
// mng7644, mng7714, localeIndependent), transcribed. Each list is strictly ascending.
const MAVEN_QUALIFIER = ['1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123'];
const MAVEN_NUMBER = ['2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m'];
const MAVEN_EQUAL: [string, string][] = [
  ['1', '1'], ['1', '1.0'], ['1', '1.0.0'], ['1.0', '1.0.0'], ['1', '1-0'], ['1', '1.0-0'], ['1.0', '1.0-0'],
  ['1a', '1-a'], ['1a', '1.0-a'], ['1a', '1.0.0-a'], ['1.0a', '1-a'], ['1.0.0a', '1-a'],
  ['1x', '1-x'], ['1x', '1.0-x'], ['1x', '1.0.0-x'], ['1.0x', '1-x'], ['1.0.0x', '1-x'], ['1cr', '1rc'],
  ['1a1', '1-alpha-1'], ['1b2', '1-beta-2'], ['1m3', '1-milestone-3'],
  ['1X', '1x'], ['1A', '1a'], ['1B', '1b'], ['1M', '1m'], ['1Cr', '1Rc'], ['1cR', '1rC'], ['1m3', '1Milestone3'], ['1m3', '1MileStone3'], ['1m3', '1MILESTONE3'],
  // versionsHaveSameOrderButAreNotEqual
  ['1ga', '1'], ['1release', '1'], ['1final', '1'], ['1Ga', '1'], ['1GA', '1'], ['1RELEASE', '1'], ['1RELeaSE', '1'], ['1Final', '1'], ['1FinaL', '1'], ['1FINAL', '1'],
  ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'], ['1.0.0-alpha1', '1.0.0-ALPHA1'], ['1.a', '1.A'],
  ['0000000000000000001', '1'], ['000000001', '01'], ['0000000000000000000', '0'], ['00', '0'],
];
const MAVEN_LESS: [string, string][] = [
  ['1', '2'], ['1.5', '2'], ['1', '2.5'], ['1.0', '1.1'], ['1.1', '1.2'], ['1.0.0', '1.1'], ['1.0.1', '1.1'], ['1.1', '1.2.0'],
  ['1.0-alpha-1', '1.0'], ['1.0-alpha-1', '1.0-alpha-2'], ['1.0-alpha-1', '1.0-beta-1'], ['1.0-beta-1', '1.0-SNAPSHOT'],
  ['1.0-SNAPSHOT', '1.0'], ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'], ['1.0', '1.0-1'], ['1.0-1', '1.0-2'], ['1.0.0', '1.0-1'],
  ['2.0-1', '2.0.1'], ['2.0.1-klm', '2.0.1-lmn'], ['2.0.1', '2.0.1-xyz'], ['2.0.1', '2.0.1-123'], ['2.0.1-xyz', '2.0.1-123'],
  ['0.7', '2'], ['0.2', '1.0.7'], ['J', '7'], ['c', '7'], ['aardvark', 'zebra'],
  ['6.1.0rc3', '6.1.0'], ['6.1.0rc3', '6.1H.5-beta'], ['6.1.0', '6.1H.5-beta'],
  ['20190126.230843', '1234567890.12345'], ['1234567890.12345', '123456789012345.1H.5-beta'], ['123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'],
  ['1-0.alpha', '1'], ['1-0.beta', '1'], ['1-0.alpha', '1-0.beta'],
  ['1.0.final-redhat', '1.0-sp1-redhat'], ['1.0.final-redhat', '1.0-sp-1-redhat'], ['1.0.final-redhat', '1.0-sp.1-redhat'],
];
for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
  MAVEN_LESS.push([`1.0.0.${x}1`, `1.0.0-${x}2`]);
  MAVEN_EQUAL.push([`2-${x}`, `2.0.${x}`], [`2-${x}`, `2.0.0.${x}`], [`2.0.${x}`, `2.0.0.${x}`]);
}

test('maven: ComparableVersionTest orderings and equalities', () => {
  let n = 0;
  for (const list of [MAVEN_QUALIFIER, MAVEN_NUMBER]) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        assert.equal(compareMaven(list[i], list[j]), -1, `${list[i]} < ${list[j]}`);
        assert.equal(compareMaven(list[j], list[i]), 1, `${list[j]} > ${list[i]}`);
        n += 2;
      }
    }
  }
  for (const [a, b] of MAVEN_EQUAL) {
    assert.equal(compareMaven(a, b), 0, `${a} == ${b}`);
    assert.equal(compareMaven(b, a), 0, `${b} == ${a}`);
    n += 2;
  }
  for (const [a, b] of MAVEN_LESS) {
    assert.equal(compareMaven(a, b), -1, `${a} < ${b}`);
    assert.equal(compareMaven(b, a), 1, `${b} > ${a}`);
    n += 2;
  }
  // getCanonical (MNG-7700)
  assert.equal(canonicalMaven('0.x'), 'x');
  assert.equal(canonicalMaven('0.2'), '0.2');
  console.log(`maven ComparableVersionTest: ${n}/${n} passed`);
});

// golang.org/x/mod/semver semver_test.go `tests` table: each valid entry is listed in ascending order, and
// invalid ones compare below every valid one (here: they are rejected). "+incompatible" is build metadata.
const GO_ORDERED = [
  'v0.0.0', 'v0.0.1', 'v0.1.0', 'v1.0.0-alpha', 'v1.0.0-alpha.1', 'v1.0.0-alpha.beta', 'v1.0.0-beta', 'v1.0.0-beta.2',
  'v1.0.0-beta.11', 'v1.0.0-rc.1', 'v1', 'v1.2', 'v1.2.3-456', 'v1.2.3-456.789', 'v1.2.3-456-789', 'v1.2.3-456a',
  'v1.2.3-pre', 'v1.2.3-pre.1', 'v1.2.3-zzz', 'v1.2.3',
];
const GO_EQUAL: [string, string][] = [
  ['v1', 'v1.0.0'], ['v1.2', 'v1.2.0'], ['v1.2.3+meta', 'v1.2.3'], ['v1.2.3+meta-pre', 'v1.2.3'],
  ['v2.0.0+incompatible', 'v2.0.0'], ['2.0.0+incompatible', 'v2.0.0'],
];
const GO_INVALID = ['bad', 'v1-alpha.beta.gamma', 'v1-pre', 'v1+meta', 'v1-pre+meta', 'v1.2-pre', 'v1.2+meta', 'v1.2-pre+meta', 'v1.0.0-alpha!', 'v1.0.0-01', 'v1.0.0-alpha.01', 'v01.2.3', 'v1.02.3', 'v1.2.03'];

test('go: x/mod/semver ordering, shorthands, +incompatible and pseudo-versions', () => {
  for (let i = 0; i < GO_ORDERED.length; i++) {
    for (let j = i + 1; j < GO_ORDERED.length; j++) {
      assert.equal(compareGo(GO_ORDERED[i], GO_ORDERED[j]), -1, `${GO_ORDERED[i]} < ${GO_ORDERED[j]}`);
      assert.equal(compareGo(GO_ORDERED[j], GO_ORDERED[i]), 1);
    }
  }
  for (const [a, b] of GO_EQUAL) assert.equal(compareGo(a, b), 0, `${a} == ${b}`);
  for (const v of GO_INVALID) assert.equal(parseGo(v), undefined, v);
  // Pseudo-versions (go.dev/ref/mod#pseudo-versions) sort after the tag they build on and before the next release.
  assert.equal(compareGo('v1.2.3', 'v1.2.4-0.20210101000000-abcdefabcdef'), -1);
  assert.equal(compareGo('v1.2.4-0.20210101000000-abcdefabcdef', 'v1.2.4'), -1);
  assert.equal(compareGo('v0.0.0-20200101000000-abcdefabcdef', 'v0.0.0-20210101000000-abcdefabcdef'), -1);
  assert.equal(compareGo('v1.2.4-pre.0.20210101000000-abcdefabcdef', 'v1.2.4-pre'), 1);
});
