/**
 * windowsHostProcess (baseline, v1.0+). Upstream: policy/check_windowsHostProcess.go.
 * Pod and containers must not set securityContext.windowsOptions.hostProcess=true.
 */
import { join } from '../../../core/pointer.js';
import { containerName, containerSecurityContext, containersPhrase, mapAt, podSecurityContext } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

function windowsHostProcess_1_0(pod: PodInput): CheckFailure | undefined {
  const setters: string[] = [];
  const fields: PssField[] = [];
  if (mapAt(podSecurityContext(pod), 'windowsOptions')?.hostProcess === true) {
    setters.push('pod');
    fields.push({
      path: join(pod.specPath, 'securityContext', 'windowsOptions', 'hostProcess'),
      message: 'pod sets securityContext.windowsOptions.hostProcess=true',
    });
  }
  const bad: string[] = [];
  for (const c of pod.containers) {
    if (mapAt(containerSecurityContext(c), 'windowsOptions')?.hostProcess === true) {
      bad.push(containerName(c));
      fields.push({
        path: join(c.path, 'securityContext', 'windowsOptions', 'hostProcess'),
        message: `container "${containerName(c)}" sets securityContext.windowsOptions.hostProcess=true`,
      });
    }
  }
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, fields };
}

export const windowsHostProcess: CheckDefinition = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: windowsHostProcess_1_0 }],
};
