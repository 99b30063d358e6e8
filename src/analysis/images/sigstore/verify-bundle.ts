/**
 * Verification of one Sigstore bundle (sigstore/protobuf-specs bundle.proto, v0.1–v0.3) by the maintained
 * library (sigstore-js: @sigstore/bundle parses and validates, @sigstore/verify checks the certificate chain to
 * the trusted root, SCTs, transparency-log inclusion proofs / promises and checkpoints (Rekor v1 and v2), RFC 3161
 * timestamps and the signature). What this module adds is what a verifier around the library must decide:
 *
 * - the artifact binding of DSSE bundles: the library checks the envelope's signature only, so the in-toto
 *   statement's subjects must contain the artifact's digest (cosign verify-blob-attestation does the same);
 * - identity constraints: the exact SAN goes to the library's policy; the regexp forms (cosign
 *   `--certificate-identity-regexp`, `--certificate-oidc-issuer-regexp`) are matched here with RE2 semantics,
 *   unanchored, as cosign's Go `regexp.MatchString` does;
 * - a certificate chain in the bundle must not carry a self-signed (root) certificate: the root comes from the
 *   trusted root only (sigstore-conformance bundle-with-root-cert_fail; the library reads only the leaf);
 * - Ed25519 keys sign messages with pure EdDSA (cosign); 3.x hashes first, so that primitive is adapted;
 * - Rekor v2 "hashedrekord over DSSE" (rekor-v2-spec §6.1.4: the entry holds sha256(PAE(type, payload))): the
 *   library version that runs on Node.js 20 (@sigstore/verify 3.x) compares a DSSE entry's digest with the
 *   payload's; 4.x (Node.js 22 only) compares it with the signed PAE (`compareSignedDigest`). We apply 4.x's rule
 *   for DSSE bundles whose entries are all hashedrekord, the only case it changes;
 * - three outcomes: verified, not verified (with the reason), could not evaluate (no usable trust material:
 *   a key-based bundle without the key, a keyless bundle without identity constraints is a usage problem).
 */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { RE2JS } from 're2js';
import { BUNDLE_V01_MEDIA_TYPE, BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_LEGACY_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE, bundleFromJSON } from '@sigstore/bundle';
import type { Bundle } from '@sigstore/bundle';
import { crypto as sigCrypto, dsse as sigDsse, X509Certificate } from '@sigstore/core';
import { toSignedEntity, Verifier } from '@sigstore/verify';
import type { SignedEntity, Signer, VerificationPolicy } from '@sigstore/verify';
import { TrustError, trustFrom } from './trust.js';

export const BUNDLE_MEDIA_TYPES: readonly string[] = [BUNDLE_V01_MEDIA_TYPE, BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_LEGACY_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE];
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Who must have signed (keyless): SAN exact or by RE2 regexp, OIDC issuer exact or by regexp. */
export interface IdentityPolicy {
  identity?: string;
  identityRegExp?: string;
  issuer?: string;
  issuerRegExp?: string;
}

export interface BundleInput {
  /** The bundle, JSON-decoded. */
  bundle: unknown;
  /**
   * The signed artifact (message signatures) or the attestation's subject (DSSE): its bytes, or only its sha256
   * (an image manifest digest: then only DSSE bundles can be checked).
   */
  artifact: Buffer | { sha256: string };
  /** The trusted root, JSON-decoded. */
  trustedRoot: unknown;
  /** PEM/DER public key or KeyObject: the bundle must be signed by this key. */
  key?: KeyObject | string | Buffer;
  policy?: IdentityPolicy;
  /**
   * Key-based signatures may come without a transparency-log entry (cosign `--tlog-upload=false`, what kubeguard's
   * key-based image verification always accepted). Keyless signatures always need one.
   */
  tlogOptionalForKeys?: boolean;
}

export interface SignerInfo {
  /** Certificate subject alternative name (keyless). */
  identity?: string;
  issuer?: string;
  /** sha256 of the signer's public key (SPKI DER), hex. */
  keyId: string;
}

export interface VerifiedBundle {
  status: 'verified';
  mediaType: string;
  content: 'message-signature' | 'dsse';
  signer: SignerInfo;
  /** DSSE only: the envelope's payload type and payload (the in-toto statement). */
  payloadType?: string;
  payload?: Buffer;
}

export type BundleVerdict = VerifiedBundle | { status: 'not-verified'; reason: string } | { status: 'not-evaluated'; reason: string };

const notVerified = (reason: string): BundleVerdict => ({ status: 'not-verified', reason });
const notEvaluated = (reason: string): BundleVerdict => ({ status: 'not-evaluated', reason });
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500);

/** A usage problem found only once the bundle is read (a keyless bundle without identity constraints). */
export class PolicyMissingError extends Error {}

/** Checks an identity policy's regexps compile; returns the problem or undefined. */
export function policyProblem(p: IdentityPolicy): string | undefined {
  if (p.identity !== undefined && p.identityRegExp !== undefined) return 'give --certificate-identity or --certificate-identity-regexp, not both';
  if (p.issuer !== undefined && p.issuerRegExp !== undefined) return 'give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, not both';
  for (const re of [p.identityRegExp, p.issuerRegExp]) {
    if (re === undefined) continue;
    try {
      RE2JS.compile(re);
    } catch (e) {
      return `invalid regular expression: ${message(e)}`;
    }
  }
  return undefined;
}

function parseBundle(json: unknown): Bundle | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'bundle is not a JSON object';
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !BUNDLE_MEDIA_TYPES.includes(mediaType)) return `unsupported bundle media type ${JSON.stringify(String(mediaType)).slice(0, 120)}`;
  try {
    return bundleFromJSON(json);
  } catch (e) {
    return `invalid bundle: ${message(e)}`;
  }
}

function rootInChain(bundle: Bundle): boolean {
  const vm = bundle.verificationMaterial.content;
  if (vm.$case !== 'x509CertificateChain') return false;
  return vm.x509CertificateChain.certificates.some((c) => {
    try {
      const cert = X509Certificate.parse(Buffer.from(c.rawBytes));
      return cert.isCA && cert.issuer.equals(cert.subject) && cert.verify();
    } catch {
      return false;
    }
  });
}

/**
 * Two adaptations of the library's signed content (see the header): a Rekor v2 hashedrekord entry of a DSSE
 * envelope logs the digest of the signed PAE; an Ed25519 key signs the message itself (pure EdDSA, RFC 8032, as
 * cosign signs with Ed25519 keys), where 3.x would pass a hash name that Node.js refuses for Ed25519.
 */
function adaptEntity(bundle: Bundle, entity: SignedEntity, artifact: Buffer | undefined): SignedEntity {
  const base = entity.signature;
  let compareDigest = (d: Buffer) => base.compareDigest(d);
  if (bundle.content.$case === 'dsseEnvelope' && entity.tlogEntries.length > 0 && entity.tlogEntries.every((e) => e.kindVersion?.kind === 'hashedrekord')) {
    const env = bundle.content.dsseEnvelope;
    const signed = sigCrypto.digest('sha256', sigDsse.preAuthEncoding(env.payloadType, env.payload));
    compareDigest = (d) => sigCrypto.bufferEqual(d, signed);
  }
  const pureEd25519 = bundle.content.$case === 'messageSignature' && artifact !== undefined;
  const signature: SignedEntity['signature'] = {
    signature: base.signature,
    compareDigest,
    compareSignature: (sig) => base.compareSignature(sig),
    verifySignature: (key) => (pureEd25519 && key.asymmetricKeyType === 'ed25519' ? sigCrypto.verify(artifact, key, base.signature) : base.verifySignature(key)),
  };
  return { ...entity, signature };
}

/** DSSE: the statement must be in-toto and name the artifact (by sha256) among its subjects. */
function subjectProblem(bundle: Bundle, artifact: Buffer | { sha256: string }): string | undefined {
  if (bundle.content.$case !== 'dsseEnvelope') return undefined;
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) return `DSSE payload type is ${JSON.stringify(env.payloadType).slice(0, 120)}, not an in-toto statement`;
  let statement: unknown;
  try {
    statement = JSON.parse(env.payload.toString('utf8'));
  } catch {
    return 'DSSE payload is not JSON';
  }
  const subjects = (statement as { subject?: unknown }).subject;
  if (!Array.isArray(subjects)) return 'in-toto statement has no subjects';
  const sha256 = Buffer.isBuffer(artifact) ? createHash('sha256').update(artifact).digest('hex') : artifact.sha256;
  const sha512 = Buffer.isBuffer(artifact) ? createHash('sha512').update(artifact).digest('hex') : undefined;
  const named = subjects.some((s: unknown) => {
    const d = (s as { digest?: Record<string, unknown> } | null)?.digest;
    return d?.sha256 === sha256 || (sha512 !== undefined && d?.sha512 === sha512);
  });
  return named ? undefined : `the artifact (sha256:${sha256}) is not a subject of the attestation`;
}

function identityProblem(signer: Signer, p: IdentityPolicy): string | undefined {
  const san = signer.identity?.subjectAlternativeName;
  const issuer = signer.identity?.extensions?.issuer;
  if (p.identityRegExp !== undefined && !(san !== undefined && RE2JS.compile(p.identityRegExp).matcher(san).find())) {
    return `certificate identity ${JSON.stringify(san ?? '')} does not match ${JSON.stringify(p.identityRegExp)}`;
  }
  if (p.issuerRegExp !== undefined && !(issuer !== undefined && RE2JS.compile(p.issuerRegExp).matcher(issuer).find())) {
    return `certificate OIDC issuer ${JSON.stringify(issuer ?? '')} does not match ${JSON.stringify(p.issuerRegExp)}`;
  }
  return undefined;
}

function libraryPolicy(p: IdentityPolicy): VerificationPolicy | undefined {
  if (p.identity === undefined && p.issuer === undefined) return undefined;
  return { ...(p.identity !== undefined && { subjectAlternativeName: p.identity }), ...(p.issuer !== undefined && { extensions: { issuer: p.issuer } }) };
}

/**
 * Verifies one bundle. Throws PolicyMissingError for a keyless bundle checked without any identity constraint
 * (as cosign refuses to: any Fulcio certificate would do).
 */
export function verifyBundle(input: BundleInput): BundleVerdict {
  const policy = input.policy ?? {};
  const problem = policyProblem(policy);
  if (problem) throw new PolicyMissingError(problem);
  const bundle = parseBundle(input.bundle);
  if (typeof bundle === 'string') return notVerified(bundle);
  if (rootInChain(bundle)) return notVerified('the bundle\'s certificate chain contains a root certificate (roots come from the trusted root only)');
  const keyless = bundle.verificationMaterial.content.$case !== 'publicKey';
  if (keyless && input.key !== undefined) return notVerified('the bundle is signed by a certificate, not by the given key');
  if (!keyless && input.key === undefined) return notEvaluated('the bundle is signed with a key: give the public key (--key)');
  if (keyless && policy.identity === undefined && policy.identityRegExp === undefined) {
    throw new PolicyMissingError('a keyless bundle needs --certificate-identity or --certificate-identity-regexp (and --certificate-oidc-issuer)');
  }
  if (keyless && policy.issuer === undefined && policy.issuerRegExp === undefined) {
    throw new PolicyMissingError('a keyless bundle needs --certificate-oidc-issuer or --certificate-oidc-issuer-regexp');
  }
  let trust;
  try {
    trust = trustFrom(input.trustedRoot, input.key);
  } catch (e) {
    if (e instanceof TrustError) return notEvaluated(e.message);
    throw e;
  }
  if (trust.counts.tlogs === 0 && !(input.tlogOptionalForKeys && !keyless)) return notEvaluated('the trusted root has no transparency log');
  if (keyless && trust.counts.certificateAuthorities === 0) return notEvaluated('the trusted root has no certificate authority (needed for keyless bundles)');
  if (!Buffer.isBuffer(input.artifact) && bundle.content.$case === 'messageSignature') return notVerified('a message-signature bundle needs the signed bytes, not only a digest');
  const noTlog = !keyless && input.tlogOptionalForKeys === true && bundle.verificationMaterial.tlogEntries.length === 0 && (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0) === 0;
  let signer: Signer;
  try {
    const entity = adaptEntity(bundle, toSignedEntity(bundle, Buffer.isBuffer(input.artifact) ? input.artifact : undefined), Buffer.isBuffer(input.artifact) ? input.artifact : undefined);
    signer = new Verifier(trust.material, noTlog ? { tlogThreshold: 0, timestampThreshold: 0 } : {}).verify(entity, keyless ? libraryPolicy(policy) : undefined);
  } catch (e) {
    return notVerified(message(e));
  }
  const extra = identityProblem(signer, policy) ?? subjectProblem(bundle, input.artifact);
  if (extra) return notVerified(extra);
  const keyId = createHash('sha256').update(signer.key.export({ type: 'spki', format: 'der' })).digest('hex');
  const dsse = bundle.content.$case === 'dsseEnvelope' ? bundle.content.dsseEnvelope : undefined;
  return {
    status: 'verified',
    mediaType: bundle.mediaType,
    content: dsse ? 'dsse' : 'message-signature',
    signer: {
      keyId,
      ...(keyless && signer.identity?.subjectAlternativeName !== undefined && { identity: signer.identity.subjectAlternativeName }),
      ...(keyless && signer.identity?.extensions?.issuer !== undefined && { issuer: signer.identity.extensions.issuer }),
    },
    ...(dsse && { payloadType: dsse.payloadType, payload: Buffer.from(dsse.payload) }),
  };
}
