import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkPayload, loadPublicKey } from './verify-payload.js';
import { ANNOTATION, legacyLayerBundle } from '../sigstore/cosign-legacy.js';
import { verifyImage } from '../sigstore/verify-image.js';

/** Key-based signatures need no trust material beyond the key; the shipped root stands in as the root. */
const ROOT = JSON.parse(readFileSync(new URL('../../../../trust/public-good/trusted_root.json', import.meta.url), 'utf8')) as unknown;
const verified = (payload: Buffer, sig: string, key: ReturnType<typeof loadPublicKey>) =>
  verifyImage({ digest, trustedRoot: ROOT, keys: [key.key], candidates: [{ origin: 'layer 1', payload, bundle: legacyLayerBundle({ [ANNOTATION.signature]: sig }, payload, 'application/vnd.dev.cosign.simplesigning.v1+json') }] }).status === 'verified';

const digest = `sha256:${'ab'.repeat(32)}`;
const payload = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': 'r/app' }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null }));

test('ECDSA P-256, Ed25519 and RSA PKCS#1 v1.5 signatures over the payload verify (sigstore-js path); a changed payload does not', () => {
  const pairs = [generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('ed25519'), generateKeyPairSync('rsa', { modulusLength: 2048 })];
  for (const p of pairs) {
    const pub = loadPublicKey(p.publicKey.export({ type: 'spki', format: 'pem' }));
    const sig = (p.publicKey.asymmetricKeyType === 'ed25519' ? sign(null, payload, p.privateKey) : sign('sha256', payload, p.privateKey)).toString('base64');
    assert.equal(verified(payload, sig, pub), true, pub.type);
    const tampered = Buffer.from(payload.toString().replace('r/app', 'r/evil'));
    assert.equal(verified(tampered, sig, pub), false, pub.type);
  }
});

test('the payload must be a cosign signature bound to the digest being verified', () => {
  assert.equal(checkPayload(payload, digest).ok, true);
  const other = checkPayload(payload, `sha256:${'cd'.repeat(32)}`);
  assert.equal(other.ok, false);
  assert.equal(checkPayload(Buffer.from('{"critical":{"type":"something else"}}'), digest).ok, false);
  assert.equal(checkPayload(Buffer.from('not json'), digest).ok, false);
});

test('unsupported key types are refused clearly', () => {
  const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
  assert.throws(() => loadPublicKey(dsa.publicKey.export({ type: 'spki', format: 'pem' })), /unsupported public key type dsa/);
});
