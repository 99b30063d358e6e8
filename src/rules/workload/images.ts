/** Container image references of a pod-bearing object, parsed. */
import type { KubeObject } from '../../core/model.js';
import type { ContainerRef } from '../../core/podspec.js';
import { parseImageRef } from '../../core/image-ref.js';
import type { ImageRef } from '../../core/image-ref.js';
import { podView } from './containers.js';

export interface ContainerImage {
  container: ContainerRef;
  image: ImageRef;
  /** Pointer to the container's image field. */
  path: string;
}

/** Every container with a non-empty image string. Containers without one are left to the API server's validation. */
export function containerImages(obj: KubeObject): ContainerImage[] {
  const pod = podView(obj);
  if (!pod) return [];
  const out: ContainerImage[] = [];
  for (const c of pod.containers) {
    const image = c.container.image;
    if (typeof image !== 'string' || image.trim() === '') continue;
    out.push({ container: c, image: parseImageRef(image), path: `${c.path}/image` });
  }
  return out;
}
