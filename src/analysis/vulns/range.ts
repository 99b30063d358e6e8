/**
 * Is a version inside an OSV `affected` entry? Implements the schema's evaluation rules
 * (https://ossf.github.io/osv-schema/#evaluation): a version is affected when it is listed in `versions`, or when
 * in some ECOSYSTEM/SEMVER range the last event at or below it (events sorted by version, `introduced: "0"`
 * lowest) is an `introduced` — `fixed` and `limit` close the interval at their version, `last_affected` just
 * after it. GIT ranges hold commit ids and are not used for package versions.
 */
import type { OsvAffected, OsvEvent, OsvRange } from './osv.js';
import { schemeForRange } from './ecosystems.js';
import { InvalidVersionError, type VersionScheme } from './versions/scheme.js';

export interface AffectedVerdict {
  affected: boolean;
  /** How it matched. */
  via?: 'versions' | 'range';
  /** The first `fixed` above the version in the matching range: the version to upgrade to. */
  fixed?: string;
  /** The closing `last_affected` of the matching range (no fixed version is known). */
  lastAffected?: string;
  /** Ranges that could not be evaluated (an unparseable version). Never read as "not affected" silently. */
  problems: string[];
}

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
interface Ev {
  kind: Kind;
  version: string;
}

function eventOf(e: OsvEvent): Ev | undefined {
  if (e.introduced !== undefined) return { kind: 'introduced', version: e.introduced };
  if (e.fixed !== undefined) return { kind: 'fixed', version: e.fixed };
  if (e.last_affected !== undefined) return { kind: 'last_affected', version: e.last_affected };
  if (e.limit !== undefined) return { kind: 'limit', version: e.limit };
  return undefined;
}

const isZero = (e: Ev): boolean => e.kind === 'introduced' && e.version === '0';

function cmpEvents(scheme: VersionScheme, a: Ev, b: Ev): number {
  if (isZero(a) || isZero(b)) return isZero(a) === isZero(b) ? 0 : isZero(a) ? -1 : 1;
  return scheme.compare(a.version, b.version);
}

interface RangeVerdict {
  affected: boolean;
  fixed?: string;
  lastAffected?: string;
}

/** Evaluates one ECOSYSTEM/SEMVER range. Throws InvalidVersionError when a version cannot be ordered. */
export function evaluateRange(range: OsvRange, version: string, scheme: VersionScheme): RangeVerdict {
  const events = (range.events ?? []).map(eventOf).filter((e): e is Ev => e !== undefined);
  const limits = events.filter((e) => e.kind === 'limit');
  const sorted = events.filter((e) => e.kind !== 'limit').sort((a, b) => cmpEvents(scheme, a, b));
  let affected = false;
  let openedAt = -1;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    if (e.kind === 'introduced') {
      if (isZero(e) || scheme.compare(version, e.version) >= 0) {
        affected = true;
        openedAt = i;
      }
    } else if (e.kind === 'fixed') {
      if (scheme.compare(version, e.version) >= 0) affected = false;
    } else if (e.kind === 'last_affected') {
      if (scheme.compare(version, e.version) > 0) affected = false;
    }
  }
  if (affected && limits.length > 0 && !limits.some((l) => scheme.compare(version, l.version) < 0)) affected = false;
  if (!affected) return { affected: false };
  // The event closing the interval the version is in.
  for (let i = openedAt + 1; i < sorted.length; i++) {
    const e = sorted[i];
    if (e.kind === 'fixed') return { affected: true, fixed: e.version };
    if (e.kind === 'last_affected') return { affected: true, lastAffected: e.version };
  }
  return { affected: true };
}

/** Evaluates one `affected[]` entry for a version. `ecosystem` is the entry's ecosystem string. */
export function evaluateAffected(entry: OsvAffected, version: string, ecosystem: string): AffectedVerdict {
  const problems: string[] = [];
  let listed = false;
  if (entry.versions?.includes(version)) listed = true;
  let best: RangeVerdict | undefined;
  for (const range of entry.ranges ?? []) {
    const scheme = schemeForRange(range.type, ecosystem);
    if (!scheme) {
      if (range.type !== 'GIT') problems.push(`no version ordering for ${range.type} range in ${ecosystem}`);
      continue;
    }
    try {
      const v = evaluateRange(range, version, scheme);
      if (v.affected && (!best || (best.fixed === undefined && v.fixed !== undefined))) best = v;
    } catch (e) {
      if (e instanceof InvalidVersionError) problems.push(e.message);
      else throw e;
    }
  }
  if (best) return { affected: true, via: 'range', fixed: best.fixed, lastAffected: best.lastAffected, problems };
  if (listed) {
    // Listed explicitly: take the fix from the ranges when one sits above the version.
    return { affected: true, via: 'versions', fixed: fixAbove(entry, version, ecosystem), problems };
  }
  return { affected: false, problems };
}

function fixAbove(entry: OsvAffected, version: string, ecosystem: string): string | undefined {
  for (const range of entry.ranges ?? []) {
    const scheme = schemeForRange(range.type, ecosystem);
    if (!scheme) continue;
    try {
      const fixes = (range.events ?? [])
        .map((e) => e.fixed)
        .filter((f): f is string => f !== undefined && scheme.compare(f, version) > 0)
        .sort((a, b) => scheme.compare(a, b));
      if (fixes.length) return fixes[0];
    } catch {
      // unorderable fix versions: no upgrade advice from this range
    }
  }
  return undefined;
}
