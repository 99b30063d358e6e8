/** Gate: every image comes from an allowed registry (prefixes or globs, as the image-registry-not-allowed rule). */
import { registryAllowed } from '../../rules/workload/registry-allowlist.js';
import type { GateImage, GateResult, ImageGate } from './types.js';

export function registryGate(allowed: readonly string[]): ImageGate {
  const list = [...allowed];
  return {
    name: 'allowed-registries',
    check(images: readonly GateImage[]): Promise<GateResult> {
      const violations = images
        .filter((i) => !registryAllowed(i.ref, list))
        .map((i) => ({ image: i.image, path: i.paths[0], message: `image "${i.image}" is not from an allowed registry (${list.join(', ')})` }));
      return Promise.resolve({ violations });
    },
  };
}
