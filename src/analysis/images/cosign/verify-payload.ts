/**
 * Cosign's simple-signing payload (sigstore/cosign, specs/SIGNATURE_SPEC.md): the blob of a `sha256-<hex>.sig`
 * layer, signed (by the signature annotation), which binds the signature to the image by
 * `critical.image.docker-manifest-digest`. The signature itself is verified by the Sigstore path
 * (../sigstore/verify-bundle.ts); keys: ECDSA, Ed25519, RSA, as cosign's LoadVerifier(pub, SHA256).
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parseJson } from '../../../core/json-error.js';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

export interface PublicKeyInfo {
  key: KeyObject;
  /** sha256 of the DER SubjectPublicKeyInfo, hex: a stable id for caches and reports. */
  fingerprint: string;
  type: 'ecdsa' | 'ed25519' | 'rsa';
}

export function loadPublicKey(pem: string | Buffer): PublicKeyInfo {
  const key = createPublicKey(pem);
  const t = key.asymmetricKeyType;
  const type = t === 'ec' ? 'ecdsa' : t === 'ed25519' ? 'ed25519' : t === 'rsa' ? 'rsa' : undefined;
  if (!type) throw new Error(`unsupported public key type ${String(t)} (ECDSA, Ed25519 and RSA are supported)`);
  const der = key.export({ type: 'spki', format: 'der' });
  return { key, type, fingerprint: createHash('sha256').update(der).digest('hex') };
}

export interface SimpleSigningPayload {
  critical: {
    identity: { 'docker-reference': string };
    image: { 'docker-manifest-digest': string };
    type: string;
  };
  optional?: Record<string, unknown> | null;
}

export type PayloadCheck = { ok: true; payload: SimpleSigningPayload } | { ok: false; reason: string };

export function checkPayload(payload: Buffer, manifestDigest: string): PayloadCheck {
  let v: unknown;
  try {
    v = parseJson(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const p = v as Partial<SimpleSigningPayload>;
  if (p?.critical?.type !== COSIGN_SIGNATURE_TYPE) return { ok: false, reason: `payload type is not "${COSIGN_SIGNATURE_TYPE}"` };
  const d = p.critical.image?.['docker-manifest-digest'];
  if (d !== manifestDigest) return { ok: false, reason: `payload is bound to ${String(d)}, not to ${manifestDigest}` };
  return { ok: true, payload: p as SimpleSigningPayload };
}
