import type { Resource } from '../../../core/model.js';
import type { PodSpec } from '../../../core/podspec.js';
import { defineRule } from '../../../core/rule.js';
import type { RuleScope } from '../../../core/rule.js';
import { podView } from '../containers.js';

export function serviceAccountName(spec: PodSpec): string {
  const name = spec.serviceAccountName ?? spec.serviceAccount;
  return typeof name === 'string' && name !== '' ? name : 'default';
}

/** The ServiceAccount object the pod runs as, when it is part of the scanned set (same namespace). */
function findServiceAccount(ctx: RuleScope, resource: Resource, name: string): Resource | undefined {
  const ns = resource.ref.namespace ?? 'default';
  // indexed once per scan: a linear search per workload is quadratic on a cluster snapshot
  const byKey = ctx.resources.memo('workload/service-accounts-by-key', (ix) => {
    const m = new Map<string, Resource>();
    for (const sa of ix.ofKind('ServiceAccount')) {
      const key = `${sa.ref.namespace ?? 'default'}/${sa.ref.name}`;
      if (!m.has(key)) m.set(key, sa);
    }
    return m;
  });
  return byKey.get(`${ns}/${name}`);
}

/**
 * The pod's automountServiceAccountToken wins over its ServiceAccount's; when the pod leaves it unset, the
 * ServiceAccount's setting applies, and the default is to mount
 * (https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting).
 * Same semantics as Polaris automountServiceAccountToken. A ServiceAccount outside the scanned set is assumed to use
 * the default (mount).
 */
export default defineRule({
  id: 'service-account-token-automounted',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['automountServiceAccountToken'],
  title: 'Service account token is mounted into the pod',
  description:
    'Every container of a pod that automounts its service account token can call the Kubernetes API with that ' +
    'identity; an attacker who compromises the container inherits it. Most applications never talk to the API.',
  category: 'workload',
  severity: 'medium',
  severityReason: 'a compromised container can call the API as the pod\'s account; what that is worth is judged by the RBAC rules',
  kinds: 'pod-bearing',
  messages: {
    explicit: 'Pod sets automountServiceAccountToken: true (service account "{{sa}}")',
    inherited: 'Service account token of "{{sa}}" is automounted: neither the pod nor the ServiceAccount sets automountServiceAccountToken: false',
    unknownAccount:
      'Service account token of "{{sa}}" is automounted: the pod does not set automountServiceAccountToken: false and the ServiceAccount is not among the scanned objects (Kubernetes defaults to mounting)',
  },
  remediation:
    'Set automountServiceAccountToken: false in the pod spec (or on the ServiceAccount), and mount a projected token only into pods that need the API.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
  compliance: { cis: ['5.1.6'], nsa: ['Pod security: protecting Pod service account tokens'], mitre: ['T1528'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    const spec = pod.template.spec;
    const sa = serviceAccountName(spec);
    if (spec.automountServiceAccountToken === false) return;
    if (spec.automountServiceAccountToken === true) {
      const path = `${pod.template.specPath}/automountServiceAccountToken`;
      ctx.report({ messageId: 'explicit', path, data: { sa }, fix: [{ op: 'replace', path, value: false }] });
      return;
    }
    const account = findServiceAccount(ctx, resource, sa);
    if (account && account.object.automountServiceAccountToken === false) return;
    ctx.report({
      messageId: account ? 'inherited' : 'unknownAccount',
      path: `${pod.template.specPath}/automountServiceAccountToken`,
      data: { sa },
      fix: [{ op: 'add', path: `${pod.template.specPath}/automountServiceAccountToken`, value: false }],
    });
  },
});
