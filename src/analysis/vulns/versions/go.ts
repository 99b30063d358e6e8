/**
 * Go module versions, as golang.org/x/mod/semver orders them: `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`,
 * with the shorthands v1 = v1.0.0 and v1.2 = v1.2.0 (no pre-release/build on a shorthand), no leading zeros.
 * Build metadata — including `+incompatible` — is ignored for ordering, and pseudo-versions
 * (`v0.0.0-20210101000000-abcdef123456`, `v1.2.4-0.20210101000000-abcdef123456`) are ordinary pre-releases,
 * so they sort between the previous and the next tagged release exactly as the go command sorts them.
 * OSV writes Go versions without the "v"; both spellings are accepted here.
 */
import { memoize } from '../../../core/bounded-map.js';
import { InvalidVersionError, type VersionScheme } from './scheme.js';

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  prerelease: string; // "" or "-..."
}

const NUM = '(0|[1-9][0-9]*)';
const IDENT = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const FULL = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(-${IDENT}(?:\\.${IDENT})*)?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`);
const SHORT = new RegExp(`^${NUM}(?:\\.${NUM})?$`);

export function parseGo(input: string): GoVersion | undefined {
  const v = input.startsWith('v') ? input.slice(1) : input;
  const full = FULL.exec(v);
  if (full) return { major: full[1], minor: full[2], patch: full[3], prerelease: full[4] ?? '' };
  const short = SHORT.exec(v);
  if (short) return { major: short[1], minor: short[2] ?? '0', patch: '0', prerelease: '' };
  return undefined;
}

function cmpInt(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const isNum = (s: string): boolean => /^[0-9]+$/.test(s);

function cmpPrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const xa = a.slice(1).split('.');
  const xb = b.slice(1).split('.');
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const pa = xa[i];
    const pb = xb[i];
    if (pa === pb) continue;
    const na = isNum(pa);
    const nb = isNum(pb);
    if (na && nb) return cmpInt(pa, pb);
    if (na) return -1;
    if (nb) return 1;
    return pa < pb ? -1 : 1;
  }
  return xa.length === xb.length ? 0 : xa.length < xb.length ? -1 : 1;
}

const parseCached = memoize(parseGo, 20_000);

export function compareGo(a: string, b: string): number {
  const va = parseCached(a);
  if (!va) throw new InvalidVersionError('go', a);
  const vb = parseCached(b);
  if (!vb) throw new InvalidVersionError('go', b);
  return (
    cmpInt(va.major, vb.major) || cmpInt(va.minor, vb.minor) || cmpInt(va.patch, vb.patch) || cmpPrerelease(va.prerelease, vb.prerelease)
  );
}

export const goScheme: VersionScheme = {
  name: 'go',
  isValid: (v) => parseGo(v) !== undefined,
  compare: compareGo,
};
