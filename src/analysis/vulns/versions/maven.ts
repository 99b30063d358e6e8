/**
 * Maven versions: org.apache.maven.artifact.versioning.ComparableVersion (apache/maven, maven-artifact, the
 * current line with CombinationItem, MNG-6964 and the `.X` = `-X` rule), re-expressed item by item:
 * - a version is a list of int / string / combination (`rc1`: string + number) / sub-list items;
 * - `.` separates items, `-` and a digit→letter transition open a sub-list, `X-1` is read as `X1`;
 * - trailing "null" items (0, "", empty lists) are dropped;
 * - qualifiers: alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < any other
 *   (lexically); `a1`/`b1`/`m1` mean alpha-1/beta-1/milestone-1; numbers beat qualifiers and sub-lists.
 * Integer item sizes (int/long/BigInteger) collapse into one bigint: upstream orders them by magnitude too.
 */
import { memoize } from '../../../core/bounded-map.js';
import type { VersionScheme } from './scheme.js';

type Str = { kind: 'string'; value: string };
type Int = { kind: 'int'; value: bigint };
type Item = Int | Str | { kind: 'combination'; str: Str; digit: Int } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_QUALIFIERS = ['ga', 'final', 'release'];
const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(raw: string, followedByDigit: boolean): Str {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    if (value === 'a') value = 'alpha';
    else if (value === 'b') value = 'beta';
    else if (value === 'm') value = 'milestone';
  }
  return { kind: 'string', value: value === 'cr' ? 'rc' : value };
}

function comparableQualifier(q: string): string {
  if (RELEASE_QUALIFIERS.includes(q)) return RELEASE_VERSION_INDEX;
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

/** Java String.compareTo: UTF-16 code unit order, which JS string comparison also uses. */
const javaCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const isDigitChar = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'int':
      return item.value === 0n;
    case 'string':
      return item.value === '';
    case 'combination':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    if (!isNull(list[i])) continue;
    const next = list[i + 1];
    if (i === list.length - 1 || next.kind === 'string') {
      list.splice(i, 1);
    } else if (next.kind === 'list') {
      const first = next.items[0];
      if (first && (first.kind === 'combination' || first.kind === 'string')) list.splice(i, 1);
    }
  }
}

function intItem(buf: string): Int {
  return { kind: 'int', value: BigInt(buf === '' ? '0' : buf) };
}

function parseItem(isCombination: boolean, isDigit: boolean, buf: string): Item {
  if (isCombination) {
    const v = buf.replaceAll('-', '');
    let index = 0;
    for (let i = 0; i < v.length; i++) {
      if (isDigitChar(v[i])) {
        index = i;
        break;
      }
    }
    return { kind: 'combination', str: stringItem(v.slice(0, index), true), digit: intItem(v.slice(index)) };
  }
  if (isDigit) return intItem(buf);
  return stringItem(buf, false);
}

export function parseMaven(version: string): Item[] {
  const v = version.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let isCombination = false;
  let start = 0;
  const openList = (): void => {
    const sub: Item[] = [];
    list.push({ kind: 'list', items: sub });
    list = sub;
    stack.push(sub);
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '.') {
      list.push(i === start ? intItem('0') : parseItem(isCombination, isDigit, v.slice(start, i)));
      isCombination = false;
      start = i + 1;
    } else if (c === '-') {
      if (i === start) {
        list.push(intItem('0'));
      } else {
        // X-1 is treated as X1
        if (!isDigit && i !== v.length - 1 && isDigitChar(v[i + 1])) {
          isCombination = true;
          continue;
        }
        list.push(parseItem(isCombination, isDigit, v.slice(start, i)));
      }
      start = i + 1;
      if (list.length) openList();
      isCombination = false;
    } else if (isDigitChar(c)) {
      if (!isDigit && i > start) {
        isCombination = true; // X1
        if (list.length) openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(isCombination, true, v.slice(start, i)));
        start = i;
        openList();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (v.length > start) {
    // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
    if (!isDigit && list.length) openList();
    list.push(parseItem(isCombination, isDigit, v.slice(start)));
  }
  while (stack.length) normalize(stack.pop() as Item[]);
  return root;
}

/** Item.compareTo(other), where `undefined` stands for Java's null (a missing item). */
function compareItem(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'int':
      if (!b) return a.value === 0n ? 0 : 1;
      if (b.kind === 'int') return cmpBig(a.value, b.value);
      return 1; // 1.1 > 1-sp, 1.1 > 1-1
    case 'string':
      if (!b) return javaCompare(comparableQualifier(a.value), RELEASE_VERSION_INDEX);
      if (b.kind === 'string') return javaCompare(comparableQualifier(a.value), comparableQualifier(b.value));
      if (b.kind === 'combination') {
        const r = compareItem(a, b.str);
        return r === 0 ? -1 : r;
      }
      return -1; // 1.any < 1.1, 1.any < 1-1
    case 'combination':
      if (!b) return compareItem(a.str, undefined);
      if (b.kind === 'string') {
        const r = compareItem(a.str, b);
        return r === 0 ? 1 : r; // X1 > X
      }
      if (b.kind === 'combination') return compareItem(a.str, b.str) || compareItem(a.digit, b.digit);
      return -1;
    case 'list':
      if (!b) {
        // MNG-6964: compare every item with null, not just the first
        for (const it of a.items) {
          const r = compareItem(it, undefined);
          if (r) return r;
        }
        return 0;
      }
      if (b.kind === 'int') return -1;
      if (b.kind === 'string' || b.kind === 'combination') return 1;
      return compareLists(a.items, b.items);
  }
}

function compareLists(a: Item[], b: Item[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i];
    const r = b[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r);
    if (result) return result;
  }
  return 0;
}

/** ComparableVersion.getCanonical(). */
export function canonicalMaven(version: string): string {
  const render = (items: Item[]): string =>
    items
      .map((it, i) => {
        const sep = i === 0 ? '' : it.kind === 'list' ? '-' : '.';
        const body = it.kind === 'list' ? render(it.items) : it.kind === 'combination' ? `${it.str.value}${it.digit.value}` : String(it.value);
        return sep + body;
      })
      .join('');
  return render(parseMaven(version));
}

const parseCached = memoize(parseMaven, 20_000);

export function compareMaven(a: string, b: string): number {
  const r = compareLists(parseCached(a), parseCached(b));
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

export const mavenScheme: VersionScheme = {
  name: 'maven',
  isValid: (v) => v.trim() !== '',
  compare: compareMaven,
};
