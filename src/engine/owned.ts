/**
 * Pods, ReplicaSets and Jobs created by a controller that is itself in the scan (a Deployment's ReplicaSet and its
 * Pods, a CronJob's Jobs) repeat their controller's pod template: the pod rules judge the controller once, not every
 * replica — on a live cluster that is the difference between 15,000 and 150,000 copies of the same findings.
 * A replica whose containers differ from its controller's template (an injected sidecar, an ephemeral debug
 * container, a changed image) is judged on its own.
 */
import type { Resource } from '../core/model.js';
import type { ResourceIndex } from '../core/resource-index.js';
import { allContainers, podTemplateOf } from '../core/podspec.js';

function containerSignature(r: Resource): string | undefined {
  const t = podTemplateOf(r.object);
  if (!t) return undefined;
  return allContainers(t.spec, t.specPath)
    .map((c) => `${c.kind}:${c.container.name ?? ''}=${c.container.image ?? ''}`)
    .join('|');
}

/** The pod-bearing resources whose scanned controller (ResourceIndex.templateControllerOf) carries the same containers. */
export function ownedReplicas(index: ResourceIndex): Set<Resource> {
  const owned = new Set<Resource>();
  for (const r of index.all) {
    if (!Array.isArray(r.object.metadata?.ownerReferences)) continue;
    const owner = index.templateControllerOf(r.object);
    if (!owner) continue;
    const mine = containerSignature(r);
    if (mine !== undefined && mine === containerSignature(owner)) owned.add(r);
  }
  return owned;
}
