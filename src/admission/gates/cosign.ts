/**
 * The signature gate's provider: image signatures and attestations through the registry, verified by the image
 * module's `verifyImageSignatures` (src/sources/images/cosign.ts, on sigstore-js). Keys arrive as PEM text (the
 * webhook reads key files at start-up) and are parsed once; the trusted root is read once. Verified results are
 * cached there by digest, keys, identity policy and root.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { MemorySignatureCache, verifyImageSignatures } from '../../sources/images/cosign.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import { loadTrustedRoot } from '../../sources/sigstore/trusted-root.js';
import type { VerifySignature } from './signature.js';

export function cosignVerifier(options: { client?: RegistryClient; trustedRoot?: string } = {}): VerifySignature {
  const client = options.client ?? new RegistryClient({ credentials: dockerConfigProvider() });
  const cache = new MemorySignatureCache();
  const parsed = new Map<string, KeyObject[]>();
  let root: unknown;
  return async (image, requirement, signal) => {
    signal.throwIfAborted();
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
      attestations: r.attestations.map((a) => ({ predicateType: a.predicateType, predicate: a.predicate })),
    };
  };
}
