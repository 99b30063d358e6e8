import { defineRule, type RuleScope } from '../../../core/rule.js';
import type { Severity } from '../../../core/model.js';
import { pathOneLine } from '../../../analysis/rbac/render/paths-text.js';
import { rbacAnalysisOf } from '../binding-role.js';
import { workloadFactAlone } from '../../../analysis/rbac/cluster-facts.js';

type PathFound = { steps: number; evidence: string; severity: Severity } | null;

/**
 * Paths found for lone objects (admission requests), by service account, for this process.
 * A set holding one pod-bearing object has no RBAC objects, so the RBAC analysis of it is the bootstrap policy
 * plus that object's workload fact; a path from its service account depends only on the fact's namespace and
 * account (the token is mounted, or there is nothing to look up). Computed once per account instead of building
 * the analysis per request. Bounded: past the limit, answers are computed and not kept.
 */
const lonePaths = new Map<string, PathFound>();
const LONE_PATHS_LIMIT = 10_000;

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
  severity: 'critical',
  severityReason: 'compromising any container is owning the cluster: critical when the account holds cluster-admin itself, high when it takes several steps',
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
    const lone = ctx.resources.size === 1;
    const fact = lone ? workloadFactAlone(resource.object) : rbacAnalysisOf(ctx.resources).index.facts.workloadFactOf(resource.object);
    if (!fact?.tokenMounted) return;
    const sa = `${fact.namespace}/${fact.serviceAccount}`;
    let found: PathFound | undefined;
    if (lone) {
      found = lonePaths.get(sa);
      if (found === undefined) {
        found = pathFor(ctx, sa);
        if (lonePaths.size < LONE_PATHS_LIMIT) lonePaths.set(sa, found);
      }
    } else {
      // Many workloads share a service account: its path is looked up and rendered once per scan.
      const known = ctx.resources.memo('rbac/cluster-admin-path-by-sa', () => new Map<string, PathFound>());
      found = known.get(sa);
      if (found === undefined) known.set(sa, (found = pathFor(ctx, sa)));
    }
    if (!found) return;
    // One step: the account holds cluster-admin itself, the problem its binding and rbac-cluster-admin-binding report
    // (merged into one finding). More steps: this workload's own path, graded as `rbac paths` grades it.
    ctx.report({
      messageId: 'reaches',
      path: `${fact.specPath}/serviceAccountName`,
      data: { kind: resource.ref.kind, sa, steps: found.steps },
      evidence: found.evidence,
      severity: found.severity,
      ...(found.steps === 1 ? { problems: [`cluster-admin:sa:${sa}`] } : {}),
    });
  },
});

function pathFor(ctx: RuleScope, sa: string): PathFound {
  const path = rbacAnalysisOf(ctx.resources).pathTo(`sa:${sa}`, 'cluster-admin');
  return path ? { steps: path.steps.length, evidence: pathOneLine(path), severity: path.severity } : null;
}
