/**
 * Cosign key-based signature checks (sigstore/cosign, specs/SIGNATURE_SPEC.md): a signature is a layer of
 * the `sha256-<hex>.sig` image whose blob is the "simple signing" payload and whose annotation
 * `dev.cosignproject.cosign/signature` is the base64 signature over that payload. The payload binds the
 * signature to the image by `critical.image.docker-manifest-digest`. Keys: ECDSA (SHA-256, ASN.1 DER
 * signatures), Ed25519 (pure), RSA (PKCS#1 v1.5 with SHA-256), as cosign's LoadVerifier(pub, SHA256).
 */
import { constants, createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parseJson } from '../../../core/json-error.js';

export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
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

export function verifyRawSignature(payload: Buffer, signature: Buffer, k: PublicKeyInfo): boolean {
  try {
    if (k.type === 'ed25519') return verify(null, payload, k.key, signature);
    if (k.type === 'rsa') return verify('sha256', payload, { key: k.key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return verify('sha256', payload, k.key, signature);
  } catch {
    return false;
  }
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

export interface SignatureCandidate {
  payload: Buffer;
  /** base64 from the layer annotation. */
  signature: string;
}

export interface SignatureVerdict {
  verified: boolean;
  /** Fingerprints of the keys that verified a signature bound to the digest. */
  keys: string[];
  /** Why candidates were rejected (no secrets in here). */
  reasons: string[];
}

/** Checks every candidate against every key; verified when one signature bound to the digest verifies. */
export function verifyCandidates(candidates: readonly SignatureCandidate[], manifestDigest: string, keys: readonly PublicKeyInfo[]): SignatureVerdict {
  const verdict: SignatureVerdict = { verified: false, keys: [], reasons: [] };
  candidates.forEach((c, i) => {
    const sig = Buffer.from(c.signature, 'base64');
    const k = keys.find((key) => verifyRawSignature(c.payload, sig, key));
    if (!k) {
      verdict.reasons.push(`signature ${i + 1}: no given key verifies it`);
      return;
    }
    const check = checkPayload(c.payload, manifestDigest);
    if (!check.ok) {
      verdict.reasons.push(`signature ${i + 1}: ${check.reason}`);
      return;
    }
    verdict.verified = true;
    if (!verdict.keys.includes(k.fingerprint)) verdict.keys.push(k.fingerprint);
  });
  if (candidates.length === 0) verdict.reasons.push('no signatures');
  return verdict;
}
