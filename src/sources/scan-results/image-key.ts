/**
 * How an image is found in the store: by digest when the reference pins one, else by its normalised
 * `registry/repository:tag` (so `nginx`, `nginx:latest` and `docker.io/library/nginx:latest` are one image).
 * The CLI and the webhook both go through this function, so what one records the other finds.
 */
import { parseReference } from '../../core/image-ref.js';

export interface ImageKey {
  /** `registry/repository:tag`, or the input as given when it is not a registry reference (a path, an SBOM). */
  reference: string;
  digest?: string;
}

export function imageKey(image: string): ImageKey {
  let ref;
  try {
    ref = parseReference(image);
  } catch {
    return { reference: image };
  }
  const reference = `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`;
  return { reference, ...(ref.digest !== undefined && { digest: ref.digest }) };
}
