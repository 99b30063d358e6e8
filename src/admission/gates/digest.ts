/** Gate: every image is pinned by digest (`@sha256:…`), so what was verified is what runs. */
import type { GateImage, GateResult, ImageGate } from './types.js';

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/; // OCI image-spec descriptor digest grammar

export function digestGate(): ImageGate {
  return {
    name: 'require-digest',
    check(images: readonly GateImage[]): Promise<GateResult> {
      const violations = images
        .filter((i) => i.ref.digest === undefined || !DIGEST.test(i.ref.digest))
        .map((i) => ({ image: i.image, path: i.paths[0], message: `image "${i.image}" is not pinned by digest (use image@sha256:…)` }));
      return Promise.resolve({ violations });
    },
  };
}
