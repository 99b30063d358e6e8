/**
 * RPM version comparison: rpmvercmp (rpm lib/rpmvercmp.c) and EVR comparison (`[epoch:]version[-release]`,
 * rpmVersionCompare: epoch numerically, missing epoch = 0, then version, then release with rpmvercmp).
 * Segments are maximal runs of ASCII digits or ASCII letters; other characters only separate. `~` sorts before
 * everything, `^` after the end of the base version but before any further segment; numbers beat letters.
 */
import { sign, type VersionScheme } from './scheme.js';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
const TILDE = 126;
const CARET = 94;

export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(at(a, i)) && at(a, i) !== TILDE && at(a, i) !== CARET) i++;
    while (j < b.length && !isAlnum(at(b, j)) && at(b, j) !== TILDE && at(b, j) !== CARET) j++;

    // Tilde sorts before everything else.
    if (at(a, i) === TILDE || at(b, j) === TILDE) {
      if (at(a, i) !== TILDE) return 1;
      if (at(b, j) !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // Caret: like tilde, except that the end of the other string (the base version) sorts lower.
    if (at(a, i) === CARET || at(b, j) === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (at(a, i) !== CARET) return 1;
      if (at(b, j) !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;

    let ie = i;
    let je = j;
    let isNum: boolean;
    if (isDigit(at(a, i))) {
      while (ie < a.length && isDigit(at(a, ie))) ie++;
      while (je < b.length && isDigit(at(b, je))) je++;
      isNum = true;
    } else {
      while (ie < a.length && isAlpha(at(a, ie))) ie++;
      while (je < b.length && isAlpha(at(b, je))) je++;
      isNum = false;
    }
    if (ie === i) return -1; // cannot happen upstream either ("arbitrary")
    // Segments of different types: numeric is newer than alpha.
    if (je === j) return isNum ? 1 : -1;

    let sa = a.slice(i, ie);
    let sb = b.slice(j, je);
    if (isNum) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ie;
    j = je;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface Evr {
  epoch: number;
  version: string;
  release?: string;
}

/** `[epoch:]version[-release]`; the release is what follows the last hyphen. */
export function parseEvr(input: string): Evr {
  let rest = input.trim();
  let epoch = 0;
  const m = /^(\d+):/.exec(rest);
  if (m) {
    epoch = Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  const hyphen = rest.lastIndexOf('-');
  if (hyphen < 0) return { epoch, version: rest };
  return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}

/** Full EVR comparison. A missing release on either side is not compared (rpm's rpmdsCompare behaviour). */
export function compareRpm(a: string, b: string): number {
  const ea = parseEvr(a);
  const eb = parseEvr(b);
  if (ea.epoch !== eb.epoch) return ea.epoch > eb.epoch ? 1 : -1;
  const v = rpmvercmp(ea.version, eb.version);
  if (v) return v;
  if (ea.release === undefined || eb.release === undefined) return 0;
  return sign(rpmvercmp(ea.release, eb.release));
}

export const rpmScheme: VersionScheme = {
  name: 'rpm',
  isValid: (v) => v.trim() !== '',
  compare: compareRpm,
};
