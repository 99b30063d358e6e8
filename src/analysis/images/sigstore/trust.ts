/**
 * Trust material for Sigstore verification: a `TrustedRoot` (sigstore/protobuf-specs, trusted_root.proto,
 * media type application/vnd.dev.sigstore.trustedroot+json;version=0.1) turned into the library's
 * TrustMaterial, plus an optional public key for key-based bundles (cosign `--key`).
 *
 * The library reads a missing `validFor.start` as "since the beginning of time"; the spec's TimeRange makes
 * `start` required, and sigstore-conformance (trust-root-tlog-missing-validity-start_fail) expects such a root
 * to be refused. We refuse it here, as a root we cannot trust ("could not evaluate", not "not verified").
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import type { TrustMaterial } from '@sigstore/verify';
import { TrustError } from './errors.js';

export const TRUSTED_ROOT_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.trustedroot';

export { TrustError };

export interface Trust {
  material: TrustMaterial;
  /** Counts, for messages ("the trusted root has no transparency log"). */
  counts: { certificateAuthorities: number; tlogs: number; ctlogs: number; timestampAuthorities: number };
}

interface TimeRangeJson {
  start?: unknown;
  end?: unknown;
}

function requireStart(list: unknown, what: string, range: (item: Record<string, unknown>) => TimeRangeJson | undefined): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new TrustError(`trusted root: ${what} is not a list`);
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw new TrustError(`trusted root: ${what}[${i}] is not an object`);
    const r = range(item as Record<string, unknown>);
    if (typeof r?.start !== 'string') throw new TrustError(`trusted root: ${what}[${i}] has no validFor.start`);
  });
}

const keyRange = (item: Record<string, unknown>) => (item.publicKey as { validFor?: TimeRangeJson } | undefined)?.validFor;
const caRange = (item: Record<string, unknown>) => item.validFor as TimeRangeJson | undefined;

/** Parses a trusted root (already JSON-decoded) and a key; throws TrustError when it cannot be used. */
export function trustFrom(rootJson: unknown, key?: KeyObject | string | Buffer): Trust {
  if (typeof rootJson !== 'object' || rootJson === null || Array.isArray(rootJson)) throw new TrustError('trusted root is not a JSON object');
  const obj = rootJson as Record<string, unknown>;
  if (typeof obj.mediaType !== 'string' || !obj.mediaType.startsWith(TRUSTED_ROOT_MEDIA_TYPE_PREFIX)) {
    throw new TrustError(`trusted root has media type ${JSON.stringify(String(obj.mediaType ?? '')).slice(0, 120)}, expected ${TRUSTED_ROOT_MEDIA_TYPE_PREFIX}+json`);
  }
  requireStart(obj.tlogs, 'tlogs', keyRange);
  requireStart(obj.ctlogs, 'ctlogs', keyRange);
  requireStart(obj.certificateAuthorities, 'certificateAuthorities', caRange);
  requireStart(obj.timestampAuthorities, 'timestampAuthorities', caRange);
  let root: TrustedRoot;
  let material: TrustMaterial;
  const publicKey = key === undefined ? undefined : typeof key === 'object' && 'asymmetricKeyType' in key ? key : createPublicKey(key);
  try {
    root = TrustedRoot.fromJSON(obj);
    material = toTrustMaterial(
      root,
      // cosign --key: the given key verifies whatever hint the bundle carries, at any time.
      publicKey ? () => ({ publicKey, validFor: () => true }) : undefined,
    );
  } catch (e) {
    throw new TrustError(`trusted root cannot be used: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return {
    material,
    counts: {
      certificateAuthorities: root.certificateAuthorities.length,
      tlogs: root.tlogs.length,
      ctlogs: root.ctlogs.length,
      timestampAuthorities: root.timestampAuthorities.length,
    },
  };
}
