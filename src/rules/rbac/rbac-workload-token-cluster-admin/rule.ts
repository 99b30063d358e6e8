import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Resource } from '../../../core/model.js';
import { pathOneLine } from '../../../analysis/rbac/render/paths-text.js';
import { rbacAnalysisOf } from '../binding-role.js';
import { podTemplateOf } from '../../../core/podspec.js';

type PathFound = { steps: number; evidence: string } | null;

/**
 * A lone object (an admission request) has no RBAC objects beside it, so its answer depends only on the built-in
 * bootstrap policy, the namespace, the service account and whether the pod opts out of the token: the same for
 * every request with those, so it is computed once per process instead of building the RBAC analysis per request.
 */
const loneObjectAnswers = new Map<string, Answer>();

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
    if (ctx.resources.size === 1) {
      const spec = podTemplateOf(resource.object)?.spec;
      const key = `${resource.ref.kind}|${resource.ref.namespace ?? 'default'}|${spec?.serviceAccountName ?? spec?.serviceAccount ?? ''}|${String(spec?.automountServiceAccountToken)}`;
      let answer = loneObjectAnswers.get(key);
      if (!answer) {
        answer = answerFromAnalysis(ctx, resource) ?? { mounted: false, sa: '', found: null };
        if (loneObjectAnswers.size < 10_000) loneObjectAnswers.set(key, answer);
      }
      const specPath = podTemplateOf(resource.object)?.specPath;
      if (answer.mounted && answer.found && specPath) report(ctx, resource.ref.kind, answer.sa, answer.found, specPath);
      return;
    }
    const answer = answerFromAnalysis(ctx, resource);
    if (answer?.mounted && answer.found && answer.specPath) report(ctx, resource.ref.kind, answer.sa, answer.found, answer.specPath);
  },
});

function report(ctx: RuleContext, kind: string, sa: string, found: { steps: number; evidence: string }, path: string): void {
  ctx.report({ messageId: 'reaches', path, data: { kind, sa, steps: found.steps }, evidence: found.evidence });
}

interface Answer {
  mounted: boolean;
  sa: string;
  found: PathFound;
  specPath?: string;
}

function answerFromAnalysis(ctx: RuleContext, resource: Resource): Answer | undefined {
    const analysis = rbacAnalysisOf(ctx.resources);
    const w = analysis.index.facts.workloadFactOf(resource.object);
    if (!w) return undefined;
    const sa = `${w.namespace}/${w.serviceAccount}`;
    if (!w.tokenMounted) return { mounted: false, sa, found: null, specPath: w.specPath };
    // Many workloads share a service account: its path is looked up and rendered once per scan.
    const known = ctx.resources.memo('rbac/cluster-admin-path-by-sa', () => new Map<string, PathFound>());
    let found = known.get(sa);
    if (found === undefined) {
      const path = analysis.pathTo(`sa:${sa}`, 'cluster-admin');
      found = path ? { steps: path.steps.length, evidence: pathOneLine(path) } : null;
      known.set(sa, found);
    }
    return { mounted: true, sa, found, specPath: w.specPath };
}
