/**
 * npm versions: node-semver itself (the library npm uses), so ordering is npm's by construction.
 * Strict SemVer 2.0 parsing first; versions only node-semver's loose mode accepts (`=1.2.3`, `v 1.2.3`,
 * leading zeros, `1.2.3foo`) are accepted in loose mode, as npm does for old registry entries.
 */
import semver from 'semver';
import { memoize } from '../../../core/bounded-map.js';
import { InvalidVersionError, type VersionScheme } from './scheme.js';

function parse(v: string, loose: boolean): semver.SemVer | null {
  return semver.parse(v, { loose });
}

/** node-semver `compare(a, b, loose)`; throws InvalidVersionError where node-semver throws. */
export function compareSemverNode(a: string, b: string, loose = false): number {
  const pa = parse(a, loose);
  if (!pa) throw new InvalidVersionError(loose ? 'semver (loose)' : 'semver', a);
  const pb = parse(b, loose);
  if (!pb) throw new InvalidVersionError(loose ? 'semver (loose)' : 'semver', b);
  return pa.compare(pb);
}

const parseEither = memoize((v: string): semver.SemVer | null => parse(v, false) ?? parse(v, true), 20_000);
const parseStrict = memoize((v: string): semver.SemVer | null => parse(v, false), 20_000);

export const npmScheme: VersionScheme = {
  name: 'npm',
  isValid: (v) => parseEither(v) !== null,
  compare(a, b) {
    const pa = parseEither(a);
    if (!pa) throw new InvalidVersionError('npm', a);
    const pb = parseEither(b);
    if (!pb) throw new InvalidVersionError('npm', b);
    return pa.compare(pb);
  },
};

/**
 * Plain SemVer 2.0 (OSV `SEMVER` ranges, crates.io): strict parsing, build metadata ignored. OSV writes
 * SEMVER versions without a leading "v"; node-semver's strict grammar also tolerates one.
 */
export const semverScheme: VersionScheme = {
  name: 'semver',
  isValid: (v) => parseStrict(v) !== null,
  compare(a, b) {
    const pa = parseStrict(a);
    if (!pa) throw new InvalidVersionError('semver', a);
    const pb = parseStrict(b);
    if (!pb) throw new InvalidVersionError('semver', b);
    return pa.compare(pb);
  },
};
