/**
 * Debian version comparison, as dpkg defines it (lib/dpkg/version.c: parseversion, verrevcmp,
 * dpkg_version_compare): `[epoch:]upstream[-revision]`, compared epoch (numeric), then upstream, then revision
 * with verrevcmp. In verrevcmp letters sort before non-letters, `~` sorts before everything (even the end of
 * the string), and digit runs compare numerically.
 */
import { InvalidVersionError, sign, type VersionScheme } from './scheme.js';

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const EPOCH = /^\d+$/;

/** Splits a Debian version. Returns undefined for what dpkg rejects outright (bad epoch, empty string). */
export function parseDpkg(input: string): DpkgVersion | undefined {
  const v = input.trim();
  if (v === '' || /\s/.test(v)) return undefined;
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!EPOCH.test(e)) return undefined;
    epoch = Number(e);
    if (!Number.isSafeInteger(epoch)) return undefined;
    rest = v.slice(colon + 1);
  }
  // The revision is whatever follows the last hyphen (it may be empty: "0foo-").
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  return { epoch, upstream, revision };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's order(): digits and the end of string weigh 0, letters their code, `~` −1, anything else code+256. */
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126 /* ~ */) return -1;
  return c + 256;
}

export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a, i);
      const bc = order(b, j);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export function compareDpkg(a: string, b: string): number {
  const va = parseDpkg(a);
  if (!va) throw new InvalidVersionError('dpkg', a);
  const vb = parseDpkg(b);
  if (!vb) throw new InvalidVersionError('dpkg', b);
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1;
  const u = verrevcmp(va.upstream, vb.upstream);
  if (u) return sign(u);
  return sign(verrevcmp(va.revision, vb.revision));
}

export const dpkgScheme: VersionScheme = {
  name: 'dpkg',
  isValid: (v) => parseDpkg(v) !== undefined,
  compare: compareDpkg,
};
