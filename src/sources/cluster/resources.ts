/** Live objects → Resources, with `cluster:<context>` as their source, marked live. */
import type { KubeObject, Resource } from '../../core/model.js';
import { refOf } from '../../core/ref.js';

export function clusterSourceName(context: string): string {
  return `cluster:${context}`;
}

export function objectsToResources(objects: readonly KubeObject[], file: string): Resource[] {
  return objects.map((object) => ({ ref: refOf(object), object, source: { file }, live: true }));
}
