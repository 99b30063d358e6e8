/**
 * verifyImageSignature(ref, keys, cache): the library entry point the admission webhook uses. The reference
 * is resolved to its manifest digest (a tag is resolved once; the digest is what is verified and cached),
 * the `sha256-<hex>.sig` tag in the same repository is fetched, and each signature layer checked.
 * Only successful verifications are cached, keyed by digest and key set, so a signature pushed later is seen.
 */
import { createHash } from 'node:crypto';
import { verifyCandidates, SIGNATURE_ANNOTATION } from '../../analysis/images/cosign/verify-payload.js';
import { collectBounded } from './bounded-read.js';
import { verifiedBytes } from './digest.js';
import { parseManifestDoc } from './oci-types.js';
import { formatReference, parseReference } from '../../core/image-ref.js';
import { RegistryClient, RegistryError } from './registry/client.js';
import { dockerConfigProvider } from './registry/credentials.js';
import type { PublicKeyInfo, SignatureCandidate } from '../../analysis/images/cosign/verify-payload.js';
import type { ImageReference } from '../../core/image-ref.js';

export interface SignatureResult {
  reference: string;
  digest: string;
  verified: boolean;
  keys: string[];
  reasons: string[];
  /** True when answered from the cache. */
  cached?: boolean;
}

export interface SignatureCache {
  get(key: string): SignatureResult | undefined;
  set(key: string, value: SignatureResult): void;
}

/** A bounded in-memory cache (oldest entry evicted first). */
export class MemorySignatureCache implements SignatureCache {
  private readonly map = new Map<string, SignatureResult>();
  constructor(private readonly max = 10_000) {}
  get(key: string): SignatureResult | undefined {
    return this.map.get(key);
  }
  set(key: string, value: SignatureResult): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
  }
}

const MAX_PAYLOAD = 1024 * 1024;

export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

export async function verifyImageSignature(
  reference: string | ImageReference,
  keys: readonly PublicKeyInfo[],
  cache?: SignatureCache,
  opts: { client?: RegistryClient } = {},
): Promise<SignatureResult> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const client = opts.client ?? new RegistryClient({ credentials: dockerConfigProvider() });
  const digest = ref.digest ?? (await client.getManifest(ref)).digest;
  const keyId = createHash('sha256').update(keys.map((k) => k.fingerprint).sort().join(',')).digest('hex');
  const cacheKey = `${ref.registry}/${ref.repository}@${digest}|${keyId}`;
  const hit = cache?.get(cacheKey);
  if (hit) return { ...hit, cached: true };
  const base = { reference: formatReference(ref), digest };
  let sigManifest;
  try {
    sigManifest = await client.getManifest({ ...ref, digest: undefined, tag: signatureTag(digest) });
  } catch (e) {
    if (e instanceof RegistryError && e.status === 404) return { ...base, verified: false, keys: [], reasons: [`no signature (${signatureTag(digest)} not found)`] };
    throw e;
  }
  const doc = parseManifestDoc(sigManifest.body, sigManifest.mediaType);
  if (doc.kind !== 'manifest') return { ...base, verified: false, keys: [], reasons: ['signature tag is not an image manifest'] };
  const candidates: SignatureCandidate[] = [];
  for (const layer of doc.doc.layers) {
    const sig = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (!sig) continue;
    if (layer.size > MAX_PAYLOAD) continue;
    const payload = await collectBounded(
      verifiedBytes(await client.openBlob(ref, layer.digest), { digest: layer.digest, size: layer.size, what: 'signature payload' }, { compressed: 0 }),
      MAX_PAYLOAD,
      'signature payload',
    );
    candidates.push({ payload, signature: sig });
  }
  const verdict = verifyCandidates(candidates, digest, keys);
  const result: SignatureResult = { ...base, ...verdict };
  if (result.verified) cache?.set(cacheKey, result);
  return result;
}
