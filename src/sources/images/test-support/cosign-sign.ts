/**
 * Test-side signing. Two independent ways to make cosign signatures:
 *  - `pushCosignSignature`: writes the `sha256-<hex>.sig` image the way cosign's SIGNATURE_SPEC describes;
 *  - `writeSigstorePrivateKey`: an encrypted private key in cosign's format (scrypt + nacl/secretbox over
 *    PKCS#8, sigstore pkg/cryptoutils/encrypted.go) so that skopeo (containers/image) signs with it.
 */
import { generateKeyPairSync, randomBytes, scryptSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { digestOf } from '../digest.js';
import { MT } from '../oci-types.js';
import { signatureTag } from '../cosign.js';
import type { ImageReference } from '../reference.js';
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

/** cosign's encrypted private key PEM ("ENCRYPTED SIGSTORE PRIVATE KEY"). */
export function writeSigstorePrivateKey(key: KeyObject, password: string): string {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(32);
  const params = { N: 32768, r: 8, p: 1 };
  const secret = scryptSync(Buffer.from(password), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * 1024 * 1024 });
  const nonce = randomBytes(24);
  const ciphertext = nacl.secretbox(new Uint8Array(der), new Uint8Array(nonce), new Uint8Array(secret));
  const body = JSON.stringify({
    kdf: { name: 'scrypt', params, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  });
  const b64 = Buffer.from(body).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${b64}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
}
