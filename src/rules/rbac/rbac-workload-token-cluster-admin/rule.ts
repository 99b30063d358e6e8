import { defineRule } from '../../../core/rule.js';
import { pathOneLine } from '../../../analysis/rbac/render/paths-text.js';
import { rbacAnalysisOf } from '../binding-role.js';

/**
 * Cross-object: a workload whose pods mount a service-account token that reaches cluster-admin equivalence
 * (directly or through escalation steps: pod creation, token requests, impersonation, bind/escalate, …).
 * Compromising any container of it is compromising the cluster. The RBAC objects are read through
 * ctx.resources (plus the bootstrap policy); the path found is the evidence.
 */
export default defineRule({
  id: 'rbac-workload-token-cluster-admin',
  title: "Workload's mounted service-account token reaches cluster-admin",
  description:
    'The pod mounts the API token of a service account that is cluster-admin, or can become it in a few steps. ' +
    'An attacker who compromises any container of the workload takes over the cluster.',
  category: 'rbac',
  severity: 'high',
  kinds: 'pod-bearing',
  messages: {
    reaches: '{{kind}} runs as service account {{sa}} with its token mounted, and that account reaches cluster-admin in {{steps}} step(s)',
  },
  remediation:
    'Give the workload a service account with only the rights it needs, set automountServiceAccountToken: false where ' +
    'it does not call the API, and remove the escalation steps shown in the evidence.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  ],
  compliance: { cis: ['5.1.1', '5.1.6'], mitre: ['T1528', 'T1078'] },
  check(ctx, resource) {
    const analysis = rbacAnalysisOf(ctx.resources);
    const ns = resource.ref.namespace ?? 'default';
    const w = analysis.index.facts.workloadOf(resource.ref.kind, ns, resource.ref.name);
    if (!w || !w.tokenMounted) return;
    const sa = `${w.namespace}/${w.serviceAccount}`;
    // Many workloads share a service account: its path is looked up and rendered once per scan.
    const known = ctx.resources.memo('rbac/cluster-admin-path-by-sa', () => new Map<string, { steps: number; evidence: string } | null>());
    let found = known.get(sa);
    if (found === undefined) {
      const path = analysis.shortestPaths.pathFrom(`sa:${sa}`, 'cluster-admin');
      found = path ? { steps: path.steps.length, evidence: pathOneLine(path) } : null;
      known.set(sa, found);
    }
    if (!found) return;
    ctx.report({
      messageId: 'reaches',
      path: w.specPath,
      data: { kind: resource.ref.kind, sa, steps: found.steps },
      evidence: found.evidence,
    });
  },
});
