/** Shared check for the resource requests/limits rules. */
import type { RuleContext } from '../../core/rule.js';
import type { Resource } from '../../core/model.js';
import { containerLabel, isMap, podView } from './containers.js';

export type ResourceName = 'cpu' | 'memory';
export type ResourceField = 'requests' | 'limits';

function isSet(v: unknown): boolean {
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
}

/**
 * Reports every regular and init container missing resources.<field>.<name> (one finding per missing quantity).
 * Ephemeral containers are skipped: the API forbids resources on them
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#EphemeralContainer).
 */
export function checkResources<N extends ResourceName>(ctx: RuleContext<N>, resource: Resource, field: ResourceField, names: N[]): void {
  const pod = podView(resource.object);
  if (!pod) return;
  for (const c of pod.containers) {
    if (c.kind === 'ephemeralContainers') continue;
    const res = c.container.resources;
    const block = isMap(res) ? res[field] : undefined;
    for (const name of names) {
      if (isMap(block) && isSet(block[name])) continue;
      // A limit with no request defaults the request to the limit (the API server copies it), so requests are set.
      if (field === 'requests' && isMap(res) && isMap(res.limits) && isSet(res.limits[name])) continue;
      // the missing field itself (its line is its nearest existing ancestor's)
      ctx.report({ messageId: name, path: `${c.path}/resources/${field}/${name}`, data: { container: containerLabel(c) } });
    }
  }
}
