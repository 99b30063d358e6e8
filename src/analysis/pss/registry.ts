/**
 * Which checks run at a level and version, as upstream's policy/registry.go resolves them:
 * - a version newer than the newest minimum version of any check (and "latest") evaluates as that newest version;
 * - per check, the variant with the highest minimum version <= the evaluated version runs (none before its first);
 * - baseline runs the baseline checks; restricted runs the baseline checks, minus those named in the
 *   `overrides` of an active restricted variant, plus the restricted checks.
 */
import type { CheckDefinition, PssLevel, VersionedCheck } from './types.js';
import { ALL_CHECKS } from './checks/index.js';
import { formatPolicyVersion, parsePolicyVersion } from './version.js';

export interface ActiveCheck {
  id: string;
  level: PssLevel;
  variant: VersionedCheck;
}

/** The newest minimum version of any check: what "latest" means. */
export const MAX_POLICY_MINOR: number = Math.max(...ALL_CHECKS.flatMap((c) => c.versions.map((v) => v.minimumVersion)));

const BY_ID = new Map(ALL_CHECKS.map((c) => [c.id, c]));

export function checkDefinition(id: string): CheckDefinition | undefined {
  return BY_ID.get(id);
}

export const ALL_CHECK_IDS: readonly string[] = ALL_CHECKS.map((c) => c.id);

/** The minor version actually evaluated for a requested version ("latest" and future minors clamp). */
export function effectiveMinor(version: string | undefined): number {
  return Math.min(parsePolicyVersion(version), MAX_POLICY_MINOR);
}

export function effectiveVersion(version: string | undefined): string {
  return formatPolicyVersion(effectiveMinor(version));
}

function variantAt(def: CheckDefinition, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of def.versions) if (v.minimumVersion <= minor) found = v;
  return found;
}

const cache = new Map<string, ActiveCheck[]>();

export function activeChecks(level: PssLevel, version?: string): ActiveCheck[] {
  const minor = effectiveMinor(version);
  const key = `${level}/${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const pick = (l: PssLevel): ActiveCheck[] =>
    ALL_CHECKS.filter((c) => c.level === l).flatMap((c) => {
      const variant = variantAt(c, minor);
      return variant ? [{ id: c.id, level: c.level, variant }] : [];
    });
  let result = pick('baseline');
  if (level === 'restricted') {
    const restricted = pick('restricted');
    const overridden = new Set(restricted.flatMap((c) => c.variant.overrides ?? []));
    result = [...result.filter((c) => !overridden.has(c.id)), ...restricted];
  }
  cache.set(key, result);
  return result;
}

/** The check IDs evaluated at a level and version. */
export function checksFor(level: PssLevel, version?: string): string[] {
  return activeChecks(level, version).map((c) => c.id);
}

/**
 * The check that judges what `checkId` is about at this level/version: `checkId` itself when active, else the
 * restricted check that overrides it (e.g. hostPathVolumes → restrictedVolumes), else undefined.
 */
export function effectiveCheckFor(checkId: string, level: PssLevel, version?: string): string | undefined {
  const active = activeChecks(level, version);
  if (active.some((c) => c.id === checkId)) return checkId;
  return active.find((c) => c.variant.overrides?.includes(checkId))?.id;
}
