/**
 * cosign's registry layout before Sigstore bundles (sigstore/cosign specs/SIGNATURE_SPEC.md, pkg/oci/static):
 * a layer of the `sha256-<hex>.sig` image (simple-signing payload) or `.att` image (DSSE envelope) with
 * annotations — signature, Fulcio certificate and chain (PEM), the Rekor "bundle" (signed entry timestamp and the
 * entry's body, integrated time, index and log id) and an RFC 3161 timestamp. We restate such a layer as the
 * equivalent Sigstore bundle v0.1 (what sigstore-go does too), so the one library path verifies it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { BUNDLE_V01_MEDIA_TYPE } from '@sigstore/bundle';

export const ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  rekorBundle: 'dev.sigstore.cosign/bundle',
  timestamp: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemToDerBase64(pem: string): string[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block).raw.toString('base64'));
}

function tlogEntry(rekorBundle: string): Record<string, unknown> {
  const b = JSON.parse(rekorBundle) as { SignedEntryTimestamp?: string; Payload?: { body?: string; integratedTime?: number; logIndex?: number; logID?: string } };
  const p = b.Payload;
  if (!p || typeof p.body !== 'string' || typeof b.SignedEntryTimestamp !== 'string' || typeof p.logID !== 'string') throw new Error('Rekor bundle annotation is incomplete');
  const body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
  return {
    logIndex: String(p.logIndex ?? 0),
    logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
    kindVersion: { kind: String(body.kind), version: String(body.apiVersion) },
    integratedTime: String(p.integratedTime ?? 0),
    inclusionPromise: { signedEntryTimestamp: b.SignedEntryTimestamp },
    canonicalizedBody: p.body,
  };
}

/**
 * The Sigstore bundle (JSON) equivalent to one legacy signature layer. `blob` is the layer's content: the
 * simple-signing payload (.sig) or the DSSE envelope JSON (.att). Throws on malformed annotations.
 */
export function legacyLayerBundle(annotations: Readonly<Record<string, string>>, blob: Buffer, mediaType: string): Record<string, unknown> {
  const certs = annotations[ANNOTATION.certificate] ? [...pemToDerBase64(annotations[ANNOTATION.certificate]), ...pemToDerBase64(annotations[ANNOTATION.chain] ?? '')] : [];
  const tlogEntries = annotations[ANNOTATION.rekorBundle] ? [tlogEntry(annotations[ANNOTATION.rekorBundle])] : [];
  const ts = annotations[ANNOTATION.timestamp] ? (JSON.parse(annotations[ANNOTATION.timestamp]) as { SignedRFC3161Timestamp?: string }).SignedRFC3161Timestamp : undefined;
  const verificationMaterial = {
    ...(certs.length > 0 ? { x509CertificateChain: { certificates: certs.map((rawBytes) => ({ rawBytes })) } } : { publicKey: { hint: '' } }),
    tlogEntries,
    ...(ts !== undefined && { timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: ts }] } }),
  };
  if (mediaType === DSSE_ENVELOPE_MEDIA_TYPE) {
    const env = JSON.parse(blob.toString('utf8')) as { payloadType?: string; payload?: string; signatures?: { keyid?: string; sig?: string }[] };
    return { mediaType: BUNDLE_V01_MEDIA_TYPE, verificationMaterial, dsseEnvelope: { payloadType: env.payloadType, payload: env.payload, signatures: (env.signatures ?? []).map((s) => ({ keyid: s.keyid ?? '', sig: s.sig })) } };
  }
  return {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial,
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(blob).digest('base64') }, signature: annotations[ANNOTATION.signature] ?? '' },
  };
}
