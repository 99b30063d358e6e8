/**
 * Policy versions: "v1.<minor>" or "latest". As upstream (policy/registry.go), a version newer than the newest
 * minimum version of any registered check evaluates as that newest version, and "latest" is newer than all.
 */
import { UsageError } from '../../core/errors.js';

export class PssVersionError extends UsageError {
  constructor(readonly version: string) {
    super(`invalid Pod Security Standards version "${version}": expected "latest" or "v1.<minor>" (e.g. v1.30)`);
  }
}

/** Parses "v1.N" / "latest" to a minor number (Infinity for latest). */
export function parsePolicyVersion(version: string | undefined): number {
  if (version === undefined || version === 'latest') return Number.POSITIVE_INFINITY;
  const m = /^v1\.(0|[1-9]\d*)$/.exec(version);
  if (!m) throw new PssVersionError(version);
  return Number(m[1]);
}

export function isPolicyVersion(version: string): boolean {
  return version === 'latest' || /^v1\.(0|[1-9]\d*)$/.test(version);
}

export function formatPolicyVersion(minor: number): string {
  return `v1.${minor}`;
}
