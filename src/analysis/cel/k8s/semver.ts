/**
 * Kubernetes' semver CEL library (k8s.io/apiserver/pkg/cel/library/semverlib.go, version 1 as of Kubernetes
 * 1.33): strict SemVer 2.0.0 parsing as blang/semver's Parse, and `semver(s, true)` normalisation (leading
 * "v" dropped, leading zeros trimmed, missing minor/patch filled with 0).
 */
import semverLib from 'semver';
import { CelEvalError } from '../errors.js';
import { libraryType, type CelObject, type Value } from '../values.js';
import { fn, method, overloadError, traversal, type Table } from '../std/define.js';

const SEMVER_TYPE = libraryType('kubernetes.Semver');
// semver.org's regular expression for SemVer 2.0.0
const STRICT = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export class CelSemver implements CelObject {
  readonly celType = SEMVER_TYPE;
  constructor(readonly v: semverLib.SemVer) {}
  celEquals(o: CelObject): boolean {
    return o instanceof CelSemver && this.v.compare(o.v) === 0;
  }
}

function normalise(s: string): string {
  const parts = s.replace(/^v/, '').split('.');
  const head = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join('.')] : parts;
  const fixed = head.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t.length === 0 || !/^[0-9]/.test(t) ? '0' + t : t;
  });
  if (fixed.length < 3) {
    if (/[+-]/.test(fixed[fixed.length - 1])) throw new CelEvalError('short version cannot contain PreRelease/Build meta data');
    while (fixed.length < 3) fixed.push('0');
  }
  return fixed.join('.');
}

export function parseSemver(s: string, normalize = false): CelSemver {
  const text = normalize ? normalise(s) : s;
  if (text.length > 256 || !STRICT.test(text)) throw new CelEvalError('could not parse semver');
  const v = semverLib.parse(text);
  if (!v) throw new CelEvalError('could not parse semver');
  return new CelSemver(v);
}

export function registerSemver(t: Table): void {
  const c1 = ([s]: Value[]): number => traversal(s);
  const toSemver = (a: Value[]): Value => (typeof a[0] === 'string' && (a[1] === undefined || typeof a[1] === 'boolean') ? parseSemver(a[0], a[1] === true) : overloadError('semver', a));
  fn(t, 'semver', 1, toSemver, c1);
  fn(t, 'semver', 2, toSemver, c1);
  const isSemver = (a: Value[]): Value => {
    if (typeof a[0] !== 'string' || (a[1] !== undefined && typeof a[1] !== 'boolean')) return overloadError('isSemver', a);
    try {
      parseSemver(a[0], a[1] === true);
      return true;
    } catch {
      return false;
    }
  };
  fn(t, 'isSemver', 1, isSemver, c1);
  fn(t, 'isSemver', 2, isSemver, c1);
  const sv = (name: string, a: Value[]): semverLib.SemVer => (a[0] instanceof CelSemver ? a[0].v : overloadError(name, a));
  const other = (name: string, a: Value[]): semverLib.SemVer => (a[1] instanceof CelSemver ? a[1].v : overloadError(name, a));
  const prev = (key: string): ((a: Value[], st: Parameters<NonNullable<ReturnType<Table['get']>>['impl']>[1]) => Value) | undefined => t.get(key)?.impl;
  // isGreaterThan / isLessThan / compareTo are shared with Quantity: dispatch on the receiver
  for (const [name, f] of [
    ['isGreaterThan', (a: Value[]) => sv('isGreaterThan', a).compare(other('isGreaterThan', a)) === 1],
    ['isLessThan', (a: Value[]) => sv('isLessThan', a).compare(other('isLessThan', a)) === -1],
    ['compareTo', (a: Value[]) => BigInt(sv('compareTo', a).compare(other('compareTo', a)))],
  ] as const) {
    const before = prev(`.${name}/2`);
    method(t, name, 1, (a, st) => (a[0] instanceof CelSemver || !before ? f(a) : before(a, st)));
  }
  method(t, 'major', 0, (a) => BigInt(sv('major', a).major));
  method(t, 'minor', 0, (a) => BigInt(sv('minor', a).minor));
  method(t, 'patch', 0, (a) => BigInt(sv('patch', a).patch));
}
