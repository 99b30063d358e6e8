/**
 * Image signatures and attestations from a registry, verified by the one Sigstore path
 * (src/analysis/images/sigstore). The reference is resolved to its manifest digest (a tag once; the digest is
 * what is verified and cached), then everything cosign may have attached is read:
 *   - `sha256-<hex>.sig`: legacy signature layers (simple-signing payload + annotations), key-based or keyless;
 *   - `sha256-<hex>.att`: legacy attestation layers (DSSE envelopes + annotations);
 *   - OCI 1.1 referrers whose artifact type is a Sigstore bundle (the referrers API, else its fallback tag).
 * Only verified results are cached (by digest, keys, policy and trusted root), so a signature pushed after a
 * refusal is seen on the next check.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ANNOTATION, DSSE_ENVELOPE_MEDIA_TYPE, legacyLayerBundle } from '../../analysis/images/sigstore/cosign-legacy.js';
import { verifyImage } from '../../analysis/images/sigstore/verify-image.js';
import type { CandidateCheck, ImageCandidate, VerifiedAttestation } from '../../analysis/images/sigstore/verify-image.js';
import type { IdentityPolicy, SignerInfo } from '../../analysis/images/sigstore/verify-bundle.js';
import type { PublicKeyInfo } from '../../analysis/images/cosign/verify-payload.js';
import type { SignatureVerdict, SignerRequirement } from '../../analysis/images/sigstore/signature-policy.js';
import { collectBounded } from './bounded-read.js';
import { verifiedBytes } from './digest.js';
import { parseManifestDoc } from './oci-types.js';
import type { Descriptor } from './oci-types.js';
import { formatReference, parseReference } from '../../core/image-ref.js';
import { RegistryClient, RegistryError } from './registry/client.js';
import { dockerConfigProvider } from './registry/credentials.js';
import { loadTrustedRoot } from '../sigstore/trusted-root.js';
import type { ImageReference } from '../../core/image-ref.js';
import { BoundedMap } from '../../core/bounded-map.js';

export const SIGSTORE_BUNDLE_ARTIFACT_PREFIX = 'application/vnd.dev.sigstore.bundle';
const MAX_SIGNATURE_BLOB = 1024 * 1024;
const MAX_BUNDLE_BLOB = 16 * 1024 * 1024;
const MAX_CANDIDATES = 64;

export interface SignatureResult {
  reference: string;
  digest: string;
  /** True when a signature verified (status "verified"). */
  verified: boolean;
  status: 'verified' | 'not-verified' | 'not-evaluated';
  /** Fingerprints (sha256 of SPKI, hex) of the keys that made verified signatures. */
  keys: string[];
  signers: SignerInfo[];
  attestations: { origin: string; predicateType: string; signer: SignerInfo; predicate: Record<string, unknown> }[];
  checks: CandidateCheck[];
  /** Why it is not verified (no secrets in here). */
  reasons: string[];
  /** True when answered from the cache. */
  cached?: boolean;
}

export interface SignatureCache {
  get(key: string): SignatureResult | undefined;
  set(key: string, value: SignatureResult): void;
}

/** A bounded in-memory cache (least recently used entry evicted first). */
export class MemorySignatureCache implements SignatureCache {
  private readonly map: BoundedMap<string, SignatureResult>;
  constructor(max = 10_000) {
    this.map = new BoundedMap(max);
  }
  get(key: string): SignatureResult | undefined {
    return this.map.get(key);
  }
  set(key: string, value: SignatureResult): void {
    this.map.set(key, value);
  }
}

export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

export function attestationTag(digest: string): string {
  return `${digest.replace(':', '-')}.att`;
}

async function blob(client: RegistryClient, ref: ImageReference, d: Descriptor, max: number, what: string): Promise<Buffer> {
  if (d.size > max) throw new RegistryError(`${what} of ${d.size} bytes refused (limit ${max})`);
  return collectBounded(verifiedBytes(await client.openBlob(ref, d.digest), { digest: d.digest, size: d.size, what }, { compressed: 0 }), max, what);
}

async function taggedLayers(client: RegistryClient, ref: ImageReference, tag: string): Promise<Descriptor[] | undefined> {
  try {
    const m = await client.getManifest({ ...ref, digest: undefined, tag });
    const doc = parseManifestDoc(m.body, m.mediaType);
    return doc.kind === 'manifest' ? doc.doc.layers : [];
  } catch (e) {
    if (e instanceof RegistryError && e.status === 404) return undefined;
    throw e;
  }
}

/** Everything attached to `digest` that may be a signature or attestation, as bundles to verify. */
export async function collectCandidates(client: RegistryClient, ref: ImageReference, digest: string): Promise<{ candidates: ImageCandidate[]; problems: string[] }> {
  const candidates: ImageCandidate[] = [];
  const problems: string[] = [];
  const add = (c: ImageCandidate) => {
    if (candidates.length < MAX_CANDIDATES) candidates.push(c);
    else if (!problems.includes('more signatures than checked')) problems.push('more signatures than checked');
  };
  for (const tag of [signatureTag(digest), attestationTag(digest)]) {
    const layers = await taggedLayers(client, ref, tag);
    for (const [i, layer] of (layers ?? []).entries()) {
      const origin = `${tag} layer ${i + 1}`;
      const annotations = layer.annotations ?? {};
      if (layer.mediaType !== DSSE_ENVELOPE_MEDIA_TYPE && annotations[ANNOTATION.signature] === undefined) continue;
      try {
        const bytes = await blob(client, ref, layer, layer.mediaType === DSSE_ENVELOPE_MEDIA_TYPE ? MAX_BUNDLE_BLOB : MAX_SIGNATURE_BLOB, origin);
        add({ origin, bundle: legacyLayerBundle(annotations, bytes, layer.mediaType), ...(layer.mediaType !== DSSE_ENVELOPE_MEDIA_TYPE && { payload: bytes }) });
      } catch (e) {
        if (e instanceof RegistryError) throw e;
        problems.push(`${origin}: malformed (${e instanceof Error ? e.message.slice(0, 200) : 'unreadable'})`);
      }
    }
  }
  const { index } = await client.getReferrers(ref, digest);
  for (const d of index.manifests) {
    if (!d.artifactType?.startsWith(SIGSTORE_BUNDLE_ARTIFACT_PREFIX)) continue;
    const origin = `referrer ${d.digest}`;
    const m = await client.getManifest({ ...ref, tag: undefined, digest: d.digest });
    const doc = parseManifestDoc(m.body, m.mediaType);
    const layer = doc.kind === 'manifest' ? doc.doc.layers[0] : undefined;
    if (!layer) {
      problems.push(`${origin}: no bundle layer`);
      continue;
    }
    try {
      add({ origin, bundle: JSON.parse((await blob(client, ref, layer, MAX_BUNDLE_BLOB, origin)).toString('utf8')) });
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      problems.push(`${origin}: bundle is not JSON`);
    }
  }
  return { candidates, problems };
}

export interface VerifyImageOptions {
  client?: RegistryClient;
  /** Key-based: any of these keys. */
  keys?: readonly KeyObject[];
  /** Keyless: who must have signed. */
  policy?: IdentityPolicy;
  /** The trusted root (JSON-decoded); default: loadTrustedRoot(). */
  trustedRoot?: unknown;
  cache?: SignatureCache;
}

const spkiHex = (k: KeyObject) => createHash('sha256').update(k.export({ type: 'spki', format: 'der' })).digest('hex');

function cacheKey(ref: ImageReference, digest: string, o: VerifyImageOptions, rootId: string): string {
  const keys = (o.keys ?? []).map(spkiHex).sort().join(',');
  return createHash('sha256').update(JSON.stringify([ref.registry, ref.repository, digest, keys, o.policy ?? {}, rootId])).digest('hex');
}

export async function verifyImageSignatures(reference: string | ImageReference, o: VerifyImageOptions = {}): Promise<SignatureResult> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const client = o.client ?? new RegistryClient({ credentials: dockerConfigProvider() });
  const digest = ref.digest ?? (await client.getManifest(ref)).digest;
  const trustedRoot = o.trustedRoot ?? loadTrustedRoot().json;
  const key = cacheKey(ref, digest, o, createHash('sha256').update(JSON.stringify(trustedRoot)).digest('hex'));
  const hit = o.cache?.get(key);
  if (hit) return { ...hit, cached: true };
  const { candidates, problems } = await collectCandidates(client, ref, digest);
  const v = verifyImage({ digest, candidates, trustedRoot, keys: o.keys, policy: o.policy });
  const result: SignatureResult = {
    reference: formatReference(ref),
    digest,
    verified: v.status === 'verified',
    status: v.status,
    keys: (o.keys ?? []).length > 0 ? v.signers.map((s) => s.keyId) : [],
    signers: v.signers,
    attestations: v.attestations.map((a: VerifiedAttestation) => ({ origin: a.origin, predicateType: a.statement.predicateType, signer: a.signer, predicate: a.statement.predicate })),
    checks: v.checks,
    reasons: [...v.reasons, ...problems],
  };
  if (result.verified) o.cache?.set(key, result);
  return result;
}

/** Key-based verification (the webhook's key list and `image verify --key`), by the same path. */
export async function verifyImageSignature(reference: string | ImageReference, keys: readonly PublicKeyInfo[], cache?: SignatureCache, opts: { client?: RegistryClient } = {}): Promise<SignatureResult> {
  return verifyImageSignatures(reference, { client: opts.client, cache, keys: keys.map((k) => (k.key.type === 'public' ? k.key : createPublicKey(k.key))) });
}

/**
 * Verification for a signer requirement (the webhook's signature gate and `scan --images`): keys as PEM text,
 * parsed once; the trusted root read once (`trustedRoot` file, else the default); verified results cached.
 */
export function requirementVerifier(options: { client?: RegistryClient; trustedRoot?: string } = {}): (image: string, requirement: SignerRequirement, signal?: AbortSignal) => Promise<SignatureVerdict> {
  const client = options.client ?? new RegistryClient({ credentials: dockerConfigProvider() });
  const cache = new MemorySignatureCache();
  const parsed = new Map<string, KeyObject[]>();
  let root: unknown;
  return async (image, requirement, signal) => {
    signal?.throwIfAborted();
    root ??= loadTrustedRoot({ file: options.trustedRoot }).json;
    const pems = requirement.keys ?? [];
    const id = pems.join('\0');
    let keys = parsed.get(id);
    if (!keys) {
      keys = pems.map((pem) => createPublicKey(pem));
      parsed.set(id, keys);
    }
    const r = await verifyImageSignatures(image, { client, cache, trustedRoot: root, ...(keys.length > 0 ? { keys } : { policy: requirement.policy }) });
    return {
      verified: r.verified,
      status: r.status,
      digest: r.digest,
      ...(r.reasons.length > 0 && { reason: r.reasons.join('; ') }),
      attestations: r.attestations.map((a) => ({ predicateType: a.predicateType, predicate: a.predicate, signer: a.signer, origin: a.origin })),
    };
  };
}
