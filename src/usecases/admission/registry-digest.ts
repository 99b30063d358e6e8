/** The digest resolver for tag pinning: a manifest lookup through the image module's registry client. */
import { parseReference } from '../../core/image-ref.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import type { ResolveDigest } from './pin-digests.js';

export function registryDigestResolver(client: RegistryClient = new RegistryClient({ credentials: dockerConfigProvider() })): ResolveDigest {
  return async (image, signal) => {
    signal.throwIfAborted();
    return (await client.getManifest(parseReference(image))).digest;
  };
}
