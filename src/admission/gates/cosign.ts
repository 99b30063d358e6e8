/**
 * The signature gate's provider: cosign key-based verification through the registry, by the image module's
 * `verifyImageSignature` (src/sources/images/cosign.ts). Keys arrive as PEM text (the webhook reads key files
 * at start-up) and are parsed once. Successful verifications are cached there by digest and key set.
 */
import { loadPublicKey } from '../../analysis/images/cosign/verify-payload.js';
import type { PublicKeyInfo } from '../../analysis/images/cosign/verify-payload.js';
import { MemorySignatureCache, verifyImageSignature } from '../../sources/images/cosign.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import type { VerifySignature } from './signature.js';

export function cosignVerifier(options: { client?: RegistryClient } = {}): VerifySignature {
  const client = options.client ?? new RegistryClient({ credentials: dockerConfigProvider() });
  const cache = new MemorySignatureCache();
  const parsed = new Map<string, PublicKeyInfo[]>();
  return async (image, keys, signal) => {
    signal.throwIfAborted();
    const id = keys.join('\0');
    let infos = parsed.get(id);
    if (!infos) {
      infos = keys.map((pem) => loadPublicKey(pem));
      parsed.set(id, infos);
    }
    const result = await verifyImageSignature(image, infos, cache, { client });
    return { verified: result.verified, digest: result.digest, ...(result.reasons.length > 0 && { reason: result.reasons.join('; ') }) };
  };
}
