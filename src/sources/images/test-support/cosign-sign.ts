/**
 * Test-side signing: keys generated here, and the `sha256-<hex>.sig` image written the way cosign's
 * specs/SIGNATURE_SPEC.md describes (simple-signing payload layer + base64 signature annotation).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { digestOf } from '../digest.js';
import { MT } from '../oci-types.js';
import { signatureTag } from '../cosign.js';
import type { ImageReference } from '../../../core/image-ref.js';
import type { RegistryClient } from '../registry/client.js';

export type KeyKind = 'ecdsa' | 'ed25519' | 'rsa';

export function generateKeys(kind: KeyKind): { privateKey: KeyObject; publicPem: string } {
  const pair =
    kind === 'ecdsa'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: pair.privateKey, publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function simpleSigningPayload(dockerReference: string, manifestDigest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': manifestDigest }, type: 'cosign container image signature' },
      optional: null,
    }),
  );
}

export function signPayload(payload: Buffer, key: KeyObject): string {
  const t = key.asymmetricKeyType;
  const sig = t === 'ed25519' ? sign(null, payload, key) : sign('sha256', payload, key);
  return sig.toString('base64');
}

/** Pushes a cosign signature image for `manifestDigest` holding the given signature layers. */
export async function pushCosignSignature(
  client: RegistryClient,
  ref: ImageReference,
  manifestDigest: string,
  layers: { payload: Buffer; signature: string }[],
): Promise<void> {
  const config = Buffer.from(JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => digestOf(l.payload)) } }));
  await client.pushBlob(ref, config);
  for (const l of layers) await client.pushBlob(ref, l.payload);
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, size: config.length, digest: digestOf(config) },
    layers: layers.map((l) => ({
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      size: l.payload.length,
      digest: digestOf(l.payload),
      annotations: { 'dev.cosignproject.cosign/signature': l.signature },
    })),
  };
  await client.putManifest(ref, signatureTag(manifestDigest), Buffer.from(JSON.stringify(manifest)), MT.ociManifest);
}
