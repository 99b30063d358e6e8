/**
 * PEP 440 versions, following pypa/packaging (src/packaging/version.py): the same VERSION_PATTERN (case
 * insensitive, surrounding whitespace allowed, ASCII digits only), the same normalisation (`str(Version)`) and the
 * same sort key (`_cmpkey`): epoch, release without trailing zeros, pre-release (a dev-only release sorts before
 * every pre-release of it), post-release, dev-release, local version (numeric segments above alphanumeric ones).
 */
import { memoize } from '../../../core/bounded-map.js';
import { InvalidVersionError, type VersionScheme } from './scheme.js';

const VERSION_PATTERN =
  '^\\s*v?' +
  '(?:(?<epoch>[0-9]+)!)?' +
  '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
  '(?<pre>[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?' +
  '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
  '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
  '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
  '\\s*$';
// No `u` flag: without it, case-insensitive matching uses toUpperCase canonicalisation over the BMP, which — like
// Python's re for this pattern — does not let U+0130 or U+212A stand for i or k.
const RE = new RegExp(VERSION_PATTERN, 'i');

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre?: { label: 'a' | 'b' | 'rc'; n: bigint };
  post?: bigint;
  dev?: bigint;
  local?: (string | bigint)[];
}

function preLabel(l: string): 'a' | 'b' | 'rc' {
  const s = l.toLowerCase();
  if (s === 'a' || s === 'alpha') return 'a';
  if (s === 'b' || s === 'beta') return 'b';
  return 'rc'; // c, pre, preview, rc
}

export function parsePep440(input: string): Pep440Version | undefined {
  const m = RE.exec(input);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const v: Pep440Version = {
    epoch: g.epoch ? BigInt(g.epoch) : 0n,
    release: g.release.split('.').map((x) => BigInt(x)),
  };
  if (g.pre_l) v.pre = { label: preLabel(g.pre_l), n: g.pre_n ? BigInt(g.pre_n) : 0n };
  if (g.post !== undefined) v.post = BigInt(g.post_n1 ?? g.post_n2 ?? '0');
  if (g.dev !== undefined) v.dev = g.dev_n ? BigInt(g.dev_n) : 0n;
  if (g.local !== undefined) {
    v.local = g.local
      .toLowerCase()
      .split(/[-_.]/)
      .map((p) => (/^[0-9]+$/.test(p) ? BigInt(p) : p));
  }
  return v;
}

/** `str(Version(input))` in pypa/packaging. */
export function normalizePep440(input: string): string {
  const v = parsePep440(input);
  if (!v) throw new InvalidVersionError('pep440', input);
  let s = '';
  if (v.epoch !== 0n) s += `${v.epoch}!`;
  s += v.release.join('.');
  if (v.pre) s += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join('.')}`;
  return s;
}

const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Optional component with an explicit infinity: −∞ / +∞ / a value. */
type Bound<T> = { inf: -1 } | { inf: 1 } | { inf: 0; v: T };

function cmpBound<T>(a: Bound<T>, b: Bound<T>, cmp: (x: T, y: T) => number): number {
  if (a.inf !== b.inf) return a.inf < b.inf ? -1 : 1;
  if (a.inf === 0 && b.inf === 0) return cmp(a.v, b.v);
  return 0;
}

function preKey(v: Pep440Version): Bound<{ label: string; n: bigint }> {
  if (!v.pre && v.post === undefined && v.dev !== undefined) return { inf: -1 };
  if (!v.pre) return { inf: 1 };
  return { inf: 0, v: v.pre };
}

function cmpLocal(a: (string | bigint)[], b: (string | bigint)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = cmpBig(x, y);
      if (c) return c;
    } else if (typeof x === 'bigint') {
      return 1; // numeric segments sort above alphanumeric ones
    } else if (typeof y === 'bigint') {
      return -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  let c = cmpBig(a.epoch, b.epoch);
  if (c) return c;
  // Release: trailing zeros do not count (1.0 == 1.0.0).
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    c = cmpBig(a.release[i] ?? 0n, b.release[i] ?? 0n);
    if (c) return c;
  }
  c = cmpBound(preKey(a), preKey(b), (x, y) => (x.label !== y.label ? (x.label < y.label ? -1 : 1) : cmpBig(x.n, y.n)));
  if (c) return c;
  const postKey = (v: Pep440Version): Bound<bigint> => (v.post === undefined ? { inf: -1 } : { inf: 0, v: v.post });
  c = cmpBound(postKey(a), postKey(b), cmpBig);
  if (c) return c;
  const devKey = (v: Pep440Version): Bound<bigint> => (v.dev === undefined ? { inf: 1 } : { inf: 0, v: v.dev });
  c = cmpBound(devKey(a), devKey(b), cmpBig);
  if (c) return c;
  const localKey = (v: Pep440Version): Bound<(string | bigint)[]> => (v.local === undefined ? { inf: -1 } : { inf: 0, v: v.local });
  return cmpBound(localKey(a), localKey(b), cmpLocal);
}

const parseCached = memoize(parsePep440, 20_000);

export function comparePep440(a: string, b: string): number {
  const pa = parseCached(a);
  if (!pa) throw new InvalidVersionError('pep440', a);
  const pb = parseCached(b);
  if (!pb) throw new InvalidVersionError('pep440', b);
  return comparePep440Parsed(pa, pb);
}

export const pep440Scheme: VersionScheme = {
  name: 'pep440',
  isValid: (v) => parseCached(v) !== undefined,
  compare: comparePep440,
};
