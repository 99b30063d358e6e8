/** Shared check for the liveness/readiness probe rules. */
import type { Resource } from '../../core/model.js';
import type { RuleContext } from '../../core/rule.js';
import { containerLabel, isMap, podView, runsToCompletion } from './containers.js';

/**
 * Reports regular containers without the probe. Init containers (which must finish before the pod starts) and
 * ephemeral containers cannot have probes; Jobs, CronJobs and pods with restartPolicy Never/OnFailure run to
 * completion and are skipped (Polaris excludes Job/CronJob and initContainers the same way:
 * https://github.com/FairwindsOps/polaris/blob/master/pkg/config/checks/livenessProbeMissing.yaml).
 */
export function checkProbe(ctx: RuleContext<'missing'>, resource: Resource, probe: 'livenessProbe' | 'readinessProbe'): void {
  const pod = podView(resource.object);
  if (!pod || runsToCompletion(resource.object, pod.template.spec)) return;
  for (const c of pod.containers) {
    if (c.kind !== 'containers') continue;
    if (isMap(c.container[probe])) continue;
    ctx.report({ messageId: 'missing', path: `${c.path}/${probe}`, data: { container: containerLabel(c) } });
  }
}
