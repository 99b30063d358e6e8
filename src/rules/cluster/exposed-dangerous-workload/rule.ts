import type { Resource } from '../../../core/model.js';
import { defineRule } from '../../../core/rule.js';
import { allContainers, podTemplateOf } from '../../../core/podspec.js';
import type { PodTemplateRef } from '../../../core/podspec.js';
import { namespaceOf } from '../../../core/ref.js';
import { pathOneLine } from '../../../analysis/rbac/render/paths-text.js';
import { rbacAnalysisOf } from '../../rbac/binding-role.js';
import type { RuleScope } from '../../../core/rule.js';
import { exposedServices, selects } from '../exposure.js';

interface Danger {
  what: string;
  path: string;
  /** The escalation path, for a token reaching cluster-admin. */
  evidence?: string;
}

function tokenMounted(ctx: RuleScope, t: PodTemplateRef, namespace: string, sa: string): boolean {
  if (t.spec.automountServiceAccountToken === false) return false;
  if (t.spec.automountServiceAccountToken === true) return true;
  const account = ctx.resources.inNamespace('ServiceAccount', namespace).find((r) => r.ref.name === sa);
  return account?.object.automountServiceAccountToken !== false;
}

function dangers(ctx: RuleScope, resource: Resource, t: PodTemplateRef, namespace: string): Danger[] {
  const out: Danger[] = [];
  for (const c of allContainers(t.spec, t.specPath)) {
    if (c.container.securityContext?.privileged === true) out.push({ what: `runs container "${c.container.name ?? c.index}" privileged`, path: `${c.path}/securityContext/privileged` });
  }
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (t.spec[ns] === true) out.push({ what: `shares the node's ${ns.slice(4)} namespace (${ns})`, path: `${t.specPath}/${ns}` });
  const sa = t.spec.serviceAccountName || t.spec.serviceAccount || 'default';
  if (tokenMounted(ctx, t, namespace, sa)) {
    const path = rbacAnalysisOf(ctx.resources).pathTo(`sa:${namespace}/${sa}`, 'cluster-admin');
    if (path) {
      const steps = path.steps.length;
      out.push({
        what: `mounts the token of ServiceAccount ${sa}, which reaches cluster-admin${steps > 1 ? ` in ${steps} steps` : ''}`,
        path: `${t.specPath}/serviceAccountName`,
        evidence: pathOneLine(path),
      });
    }
  }
  void resource;
  return out;
}

/**
 * The combination is the finding: a workload that the outside world can reach (LoadBalancer/NodePort Service, or a
 * Service behind an Ingress or Gateway API route) and that runs privileged, in a host namespace, or with a token
 * that reaches cluster-admin (RBAC escalation paths from src/analysis/rbac). One remote exploit of the exposed
 * service is then a node or cluster takeover. Reported on the top-level controller, not on its ReplicaSets and Pods.
 */
export default defineRule({
  id: 'exposed-dangerous-workload',
  title: 'Internet-exposed workload runs with node- or cluster-level power',
  description:
    'Exposure and privilege each add risk; together they are an attack path: a workload reachable from outside the cluster ' +
    'that runs privileged, shares a host namespace or holds a token reaching cluster-admin turns one application bug into ' +
    'control of the node or the cluster.',
  category: 'cluster',
  severity: 'critical',
  severityReason: 'exposure plus node- or cluster-level power: one remote exploit of the service is a node or cluster takeover',
  kinds: 'pod-bearing',
  messages: {
    exposed: '{{kind}} "{{name}}" is reachable from outside the cluster ({{exposure}}) and {{dangers}}',
  },
  remediation:
    'Break the combination: drop privileged and host namespaces from exposed workloads (move node-level work to a separate, ' +
    'unexposed DaemonSet), give them a ServiceAccount with only what they need and automountServiceAccountToken: false, or stop exposing them.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/'],
  compliance: { mitre: ['T1190', 'T1611'] },
  check(ctx, resource) {
    if (ctx.resources.templateControllerOf(resource.object) !== undefined) return;
    const t = podTemplateOf(resource.object);
    if (!t) return;
    const namespace = namespaceOf(resource.object) ?? 'default';
    const exposure = (exposedServices(ctx.resources).get(namespace) ?? []).filter((s) => selects(s.selector, t.metadata.labels));
    if (exposure.length === 0) return;
    const found = dangers(ctx, resource, t, namespace);
    if (found.length === 0) return;
    ctx.report({
      messageId: 'exposed',
      path: found[0].path,
      data: { kind: resource.ref.kind, name: resource.ref.name, exposure: [...new Set(exposure.map((e) => e.how))].join(', '), dangers: found.map((d) => d.what).join('; ') },
      ...(found.some((d) => d.evidence) ? { evidence: found.find((d) => d.evidence)!.evidence } : {}),
    });
  },
});
