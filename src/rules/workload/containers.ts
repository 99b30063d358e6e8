/** Helpers shared by the workload rules: the pod template of an object, its containers and how to name them. */
import type { KubeObject } from '../../core/model.js';
import { allContainers, podTemplateOf } from '../../core/podspec.js';
import type { ContainerRef, PodSpec, PodTemplateRef } from '../../core/podspec.js';
export { isJsonMap as isMap } from '../../core/json.js';

export interface PodView {
  template: PodTemplateRef;
  containers: readonly ContainerRef[];
}

/** The pod template and every container (init, regular, ephemeral) of a pod-bearing object. */
export function podView(obj: KubeObject): PodView | undefined {
  const template = podTemplateOf(obj);
  if (!template) return undefined;
  return { template, containers: allContainers(template.spec, template.specPath) };
}

const KIND_LABEL: Record<ContainerRef['kind'], string> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

/** "container \"web\"", "init container \"setup\"", "ephemeral container #0". */
export function containerLabel(c: ContainerRef): string {
  const name = typeof c.container.name === 'string' && c.container.name !== '' ? `"${c.container.name}"` : `#${c.index}`;
  return `${KIND_LABEL[c.kind]} ${name}`;
}

/**
 * Whether the pod runs to completion rather than serving: Jobs, CronJobs and Pods whose restartPolicy is
 * Never or OnFailure. Health probes and restart-oriented advice do not fit them.
 */
export function runsToCompletion(obj: KubeObject, spec: PodSpec): boolean {
  if (obj.kind === 'Job' || obj.kind === 'CronJob') return true;
  const policy = spec.restartPolicy;
  return policy === 'Never' || policy === 'OnFailure';
}

/** A native sidecar: an init container with restartPolicy Always (Kubernetes ≥ 1.28), which keeps running. */
export function isSidecar(c: ContainerRef): boolean {
  return c.kind === 'initContainers' && c.container.restartPolicy === 'Always';
}

