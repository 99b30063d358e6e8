/**
 * Keyless signing for tests, on @sigstore/mock's Fulcio CA (with CT log) and Rekor log (v1: signed entry
 * timestamp, inclusion proof and checkpoint): a private Sigstore instance with its own trusted root. Produces
 * Sigstore bundles (v0.3) and cosign's legacy registry layout, and pushes both to a registry:
 *   - legacy `sha256-<hex>.sig` layers with certificate + Rekor-bundle annotations (cosign 1.x/2.x);
 *   - OCI 1.1 referrers: an artifact manifest (artifactType = bundle media type, subject = the image) whose one
 *     layer is the bundle, listed in the referrers fallback tag `sha256-<hex>` (cosign's new bundle format).
 * Rekor entry bodies are written in the canonical form Rekor stores (hashedrekord 0.0.1, dsse 0.0.1).
 */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { initializeCA, initializeCTLog, initializeTLog } from '@sigstore/mock';
import { dsse } from '@sigstore/core';
import { digestOf } from '../digest.js';
import { MT } from '../oci-types.js';
import { signatureTag } from '../cosign.js';
import type { ImageReference } from '../../../core/image-ref.js';
import type { RegistryClient } from '../registry/client.js';

const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const ISSUER_OID_V2 = '1.3.6.1.4.1.57264.1.8';
const EMPTY_CONFIG = { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };

export interface SignOptions {
  identity: string;
  issuer: string;
  /** Leave the inclusion proof out of the bundle (must be refused: v0.3 requires it). */
  omitInclusionProof?: boolean;
}

export interface MockSigstore {
  /** The private instance's trusted root (JSON), as `--trusted-root` reads it. */
  trustedRoot: Record<string, unknown>;
  /** A v0.3 bundle with a message signature over `artifact`, plus what cosign's legacy layout needs. */
  signMessage(artifact: Buffer, o: SignOptions): Promise<{ bundle: Record<string, unknown>; legacy: { certificatePem: string; signature: string; rekorBundle: string } }>;
  /** A v0.3 bundle with a DSSE envelope over an in-toto statement. */
  signStatement(statement: Record<string, unknown>, o: SignOptions): Promise<Record<string, unknown>>;
}

const b64 = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();
const pemOf = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${b64(der).replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const keyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/**
 * A private Sigstore instance. `caClock` / `logClock` pin the certificate's issue time and the log's integration
 * time (an integration after the 10-minute certificate validity is the "expired certificate" case).
 */
export async function mockSigstore(opts: { caClock?: Date; logClock?: Date } = {}): Promise<MockSigstore> {
  const start = new Date(Date.now() - 24 * 3600 * 1000);
  const ctKeys = keyPair();
  const ctlog = await initializeCTLog(ctKeys, opts.caClock);
  const ca = await initializeCA(keyPair(), ctlog, opts.caClock);
  const tlogKeys = keyPair();
  const tlog = await initializeTLog('https://rekor.kubeguard.test', tlogKeys, opts.logClock);
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  const tlogSpki = spki(tlogKeys.publicKey);
  const range = { start: new Date(start.getTime() - 3600_000 * 24 * 365).toISOString() };
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: 'https://rekor.kubeguard.test', hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: b64(tlogSpki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: range }, logId: { keyId: b64(sha256(tlogSpki)) } }],
    certificateAuthorities: [{ subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: 'https://fulcio.kubeguard.test', certChain: { certificates: [{ rawBytes: b64(bytes(ca.rootCertificate)) }] }, validFor: range }],
    ctlogs: [{ baseUrl: 'https://ctfe.kubeguard.test', hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: b64(spki(ctKeys.publicKey)), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: range }, logId: { keyId: b64(sha256(spki(ctKeys.publicKey))) } }],
    timestampAuthorities: [],
  };

  async function identity(o: SignOptions) {
    const signer = keyPair();
    const cert = bytes(await ca.issueCertificate({ publicKey: spki(signer.publicKey), subjectAltName: o.identity, extensions: [{ oid: ISSUER_OID_V2, value: o.issuer }] }));
    return { signer, cert };
  }

  async function logEntry(body: Record<string, unknown>, o: SignOptions) {
    const logged = Object.values(await tlog.log(body))[0] as { body: string; integratedTime: number; logID: string; logIndex: number; verification: { signedEntryTimestamp: string; inclusionProof: { logIndex: number; treeSize: number; rootHash: string; hashes: string[]; checkpoint: string } } };
    const p = logged.verification.inclusionProof;
    const entry = {
      logIndex: String(logged.logIndex),
      logId: { keyId: b64(Buffer.from(logged.logID, 'hex')) },
      kindVersion: { kind: String(body.kind), version: String(body.apiVersion) },
      integratedTime: String(logged.integratedTime),
      inclusionPromise: { signedEntryTimestamp: logged.verification.signedEntryTimestamp },
      ...(!o.omitInclusionProof && { inclusionProof: { logIndex: String(p.logIndex), rootHash: b64(Buffer.from(p.rootHash, 'hex')), treeSize: String(p.treeSize), hashes: p.hashes, checkpoint: { envelope: p.checkpoint } } }),
      canonicalizedBody: logged.body,
    };
    const rekorBundle = JSON.stringify({ SignedEntryTimestamp: logged.verification.signedEntryTimestamp, Payload: { body: logged.body, integratedTime: logged.integratedTime, logIndex: logged.logIndex, logID: logged.logID } });
    return { entry, rekorBundle };
  }

  return {
    trustedRoot,
    async signMessage(artifact, o) {
      const { signer, cert } = await identity(o);
      const sig = nodeSign('sha256', artifact, signer.privateKey);
      const certificatePem = pemOf(cert);
      const body = { apiVersion: '0.0.1', kind: 'hashedrekord', spec: { data: { hash: { algorithm: 'sha256', value: sha256(artifact).toString('hex') } }, signature: { content: b64(sig), publicKey: { content: b64(Buffer.from(certificatePem)) } } } };
      const { entry, rekorBundle } = await logEntry(body, o);
      return {
        bundle: { mediaType: BUNDLE_V03, verificationMaterial: { certificate: { rawBytes: b64(cert) }, tlogEntries: [entry] }, messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(sha256(artifact)) }, signature: b64(sig) } },
        legacy: { certificatePem, signature: b64(sig), rekorBundle },
      };
    },
    async signStatement(statement, o) {
      const { signer, cert } = await identity(o);
      const payloadType = 'application/vnd.in-toto+json';
      const payload = Buffer.from(JSON.stringify(statement));
      const sig = nodeSign('sha256', dsse.preAuthEncoding(payloadType, payload), signer.privateKey);
      const envelope = { payloadType, payload: b64(payload), signatures: [{ keyid: '', sig: b64(sig) }] };
      const body = {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: { envelopeHash: { algorithm: 'sha256', value: sha256(JSON.stringify(envelope)).toString('hex') }, payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') }, signatures: [{ signature: b64(sig), verifier: b64(Buffer.from(pemOf(cert))) }] },
      };
      const { entry } = await logEntry(body, o);
      return { mediaType: BUNDLE_V03, verificationMaterial: { certificate: { rawBytes: b64(cert) }, tlogEntries: [entry] }, dsseEnvelope: envelope };
    },
  };
}

/** An in-toto statement about an image digest. */
export function statementFor(name: string, digest: string, predicateType: string, predicate: Record<string, unknown>): Record<string, unknown> {
  return { _type: 'https://in-toto.io/Statement/v1', subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }], predicateType, predicate };
}

/** cosign's legacy keyless signature image `sha256-<hex>.sig`: the payload layer with certificate and Rekor bundle. */
export async function pushLegacyKeyless(client: RegistryClient, ref: ImageReference, manifestDigest: string, payload: Buffer, legacy: { certificatePem: string; signature: string; rekorBundle: string }): Promise<void> {
  const config = Buffer.from(JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [digestOf(payload)] } }));
  await client.pushBlob(ref, config);
  await client.pushBlob(ref, payload);
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, size: config.length, digest: digestOf(config) },
    layers: [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        size: payload.length,
        digest: digestOf(payload),
        annotations: { 'dev.cosignproject.cosign/signature': legacy.signature, 'dev.sigstore.cosign/certificate': legacy.certificatePem, 'dev.sigstore.cosign/chain': '', 'dev.sigstore.cosign/bundle': legacy.rekorBundle },
      },
    ],
  };
  await client.putManifest(ref, signatureTag(manifestDigest), Buffer.from(JSON.stringify(manifest)), MT.ociManifest);
}

/**
 * Attaches bundles as OCI 1.1 referrers of `manifestDigest`, as a client per distribution-spec v1.1 does: a
 * registry with the referrers API indexes them (it answers OCI-Subject); one without (the test registry,
 * distribution 2.8) gets them listed in the referrers fallback tag, whose index these bundles replace.
 */
export async function pushReferrerBundles(client: RegistryClient, ref: ImageReference, subject: { digest: string; size: number }, bundles: Record<string, unknown>[]): Promise<void> {
  await client.pushBlob(ref, Buffer.from('{}'));
  const manifests = [];
  for (const bundle of bundles) {
    const blob = Buffer.from(JSON.stringify(bundle));
    await client.pushBlob(ref, blob);
    const m = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.ociManifest,
        artifactType: BUNDLE_V03,
        config: EMPTY_CONFIG,
        layers: [{ mediaType: BUNDLE_V03, digest: digestOf(blob), size: blob.length }],
        subject: { mediaType: MT.ociManifest, digest: subject.digest, size: subject.size },
      }),
    );
    const pushed = await client.pushManifest(ref, digestOf(m), m, MT.ociManifest);
    if (pushed.subject === undefined) manifests.push({ mediaType: MT.ociManifest, digest: pushed.digest, size: m.length, artifactType: BUNDLE_V03 });
  }
  // the referrers fallback tag, only where the registry did not index the subject (no OCI-Subject answer)
  if (manifests.length === 0) return;
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests }));
  await client.putManifest(ref, subject.digest.replace(':', '-'), index, MT.ociIndex);
}
