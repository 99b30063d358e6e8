/**
 * ValidatingAdmissionPolicies as rules of the one engine: each policy becomes the rule `vap:<policy name>`,
 * run by scan() like any other (same findings, exceptions, severities, exit codes), judging each object as the
 * API server would judge its CREATE (or UPDATE, when the previous object is known).
 *
 * Bindings: a policy acts only through its bindings, as in Kubernetes. Policies found among the scanned objects
 * without a binding are not enforced (noted as skipped). Policies given with --policy and no binding anywhere
 * are evaluated as if bound with validationActions [Deny] — what a user testing a policy file expects.
 * Params, namespaces (for selectors and namespaceObject) come from the scanned objects and the policy files;
 * when a policy needs what is not there, the object is "could not evaluate", never "pass".
 */
import type { KubeObject, Resource, Severity, SkipNote } from '../core/model.js';
import { defineRule, type Rule } from '../core/rule.js';
import type { ResourceIndex } from '../core/resource-index.js';
import { matchesSelector } from '../core/label-selector.js';
import { resourceFor, splitApiVersion } from '../core/api-resources.js';
import { kubernetesEnv } from '../analysis/cel/env.js';
import { authorize, buildRbacIndex, type RbacIndex } from '../analysis/rbac/index.js';
import { evaluateVaps, type VapContext } from '../analysis/cel/vap/evaluate.js';
import { admissionFor, admissionForRequest } from '../analysis/cel/vap/request.js';
import type { AdmissionAttributes, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, ValidationAction } from '../analysis/cel/vap/types.js';
import type { ResolvedRule } from './resolve-rules.js';
import type { RuleMode } from './config.js';
import { isVap, isVapBinding, VAP_GROUP } from './policy-kinds.js';


export const VAP_RULE_PREFIX = 'vap:';

/** Severity of a policy's findings from its bindings' strongest action (Deny high, Warn medium, Audit low). */
function severityOf(bindings: ValidatingAdmissionPolicyBinding[]): Severity {
  const actions = new Set<ValidationAction>(bindings.flatMap((b) => b.spec?.validationActions ?? []));
  return actions.has('Deny') ? 'high' : actions.has('Warn') ? 'medium' : 'low';
}

/** The admission mode of a policy's findings: its bindings' strongest validationAction. */
function modeOf(bindings: ValidatingAdmissionPolicyBinding[]): RuleMode {
  const actions = new Set<ValidationAction>(bindings.flatMap((b) => b.spec?.validationActions ?? []));
  return actions.has('Deny') ? 'enforce' : actions.has('Warn') ? 'warn' : 'audit';
}

/** Answers the evaluation's questions about params and namespaces from a set of objects. */
export function vapContextFrom(objects: readonly KubeObject[]): VapContext {
  const namespaces = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata?.name) namespaces.set(o.metadata.name, o);
  let rbac: RbacIndex | undefined;
  return {
    env: kubernetesEnv(),
    // authorizer checks are answered by the RBAC analysis of the objects at hand (Roles, bindings among them)
    authorize: (q) => {
      rbac ??= buildRbacIndex(objects);
      const req = q.path !== undefined ? { verb: q.verb, nonResourceURL: q.path } : { verb: q.verb, apiGroup: q.group ?? '', resource: q.resource ?? '', subresource: q.subresource || undefined, namespace: q.namespace || undefined, name: q.name || undefined };
      const d = authorize(rbac, q.user, req);
      return { allowed: d.allowed, reason: d.reason === undefined ? '' : d.reason === 'superuser' ? 'superuser' : `allowed by ${d.reason.binding} (${d.reason.role})` };
    },
    namespaceLabels: (n) => namespaces.get(n)?.metadata?.labels ?? (namespaces.has(n) ? {} : 'unknown'),
    namespaceObject: (n) => namespaces.get(n),
    paramNamespaced: (k) => resourceFor(k.apiVersion, k.kind ?? '').namespaced,
    params: (k, ref, ns) => {
      const found = objects.filter(
        (o) =>
          o.kind === k.kind &&
          splitApiVersion(o.apiVersion).group === splitApiVersion(k.apiVersion).group &&
          (ns === undefined || (o.metadata?.namespace ?? 'default') === ns) &&
          (ref.name !== undefined ? o.metadata?.name === ref.name : matchesSelector(ref.selector ?? {}, o.metadata?.labels)),
      );
      // by name, absence among the inputs means "we do not know", not "does not exist"
      return found.length === 0 && ref.name !== undefined ? 'unknown' : found;
    },
  };
}

/** The admission request of an object, built once and shared by every policy judging it. */
const requests = new WeakMap<Resource, AdmissionAttributes>();
function requestOf(r: Resource): AdmissionAttributes {
  let a = requests.get(r);
  if (!a) requests.set(r, (a = r.admission ? admissionForRequest(r.object, r.previous ?? null, r.admission) : admissionFor(r.object, r.previous ? 'UPDATE' : 'CREATE', r.previous ?? null)));
  return a;
}

function vapRule(policy: ValidatingAdmissionPolicy, bindings: ValidatingAdmissionPolicyBinding[], ctxFor: (index: ResourceIndex) => VapContext): Rule {
  const name = policy.metadata?.name ?? '';
  return defineRule({
    id: `${VAP_RULE_PREFIX}${name}`,
    title: `ValidatingAdmissionPolicy ${name}`,
    description: `Objects the ValidatingAdmissionPolicy "${name}" would reject (Deny), warn about (Warn) or audit (Audit) at admission.`,
    category: 'policy',
    severity: severityOf(bindings),
    // the policy's own match constraints decide which objects it judges
    kinds: ['*'],
    messages: { violation: '{{message}}', error: 'policy evaluation failed (failurePolicy: Fail rejects the request): {{message}}' },
    remediation: 'Change the object so that the policy admits it, or add an exception with a reason.',
    check(ctx, resource: Resource) {
      const out = evaluateVaps([policy], bindings, requestOf(resource), ctxFor(ctx.resources));
      for (const n of out.notEvaluated) ctx.couldNotEvaluate(n.reason);
      const reported: string[] = [];
      for (const d of out.decisions) {
        const key = `${d.evaluation}\u0000${d.message}`;
        if (reported.includes(key)) continue; // one finding per distinct message
        reported.push(key);
        ctx.report({ messageId: d.evaluation === 'deny' ? 'violation' : 'error', path: '', data: { message: d.message } });
      }
    },
  });
}

/** A policy's bindings; with `implicit`, a policy without any acts as bound with validationActions [Deny]. */
export function bindingsOf(policy: ValidatingAdmissionPolicy, bindings: readonly ValidatingAdmissionPolicyBinding[], implicit: boolean): ValidatingAdmissionPolicyBinding[] {
  const name = policy.metadata?.name ?? '';
  const bound = bindings.filter((b) => b.spec?.policyName === name);
  if (bound.length || !implicit) return bound;
  return [{ apiVersion: `${VAP_GROUP}/v1`, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `${name}-implicit` }, spec: { policyName: name, validationActions: ['Deny'] } }];
}

export interface VapRules {
  rules: ResolvedRule[];
  skipped: SkipNote[];
}

/**
 * Rules for the policies among `resources` and in `policyFiles` (objects loaded from --policy paths).
 * `severities` carries config overrides by rule id.
 */
export function vapRules(resources: readonly Resource[], policyFiles: readonly Resource[] = [], overrides: (id: string) => { enabled: boolean; severity?: Severity } = () => ({ enabled: true })): VapRules {
  const all = [...resources, ...policyFiles];
  const bindings = all.filter((r) => isVapBinding(r.object)).map((r) => r.object as ValidatingAdmissionPolicyBinding);
  const fromFiles = new Set(policyFiles.filter((r) => isVap(r.object)).map((r) => r.object));
  const objects = all.map((r) => r.object);
  const skipped: SkipNote[] = [];
  const rules: ResolvedRule[] = [];
  const seen = new Set<string>();
  let shared: { index: ResourceIndex; ctx: VapContext } | undefined;
  const ctxFor = (index: ResourceIndex): VapContext => {
    if (shared?.index !== index) shared = { index, ctx: vapContextFrom(objects) };
    return shared.ctx;
  };
  for (const r of all) {
    if (!isVap(r.object)) continue;
    const policy = r.object as ValidatingAdmissionPolicy;
    const name = policy.metadata?.name ?? '';
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const bound = bindingsOf(policy, bindings, fromFiles.has(policy));
    if (bound.length === 0) {
      skipped.push({ file: r.source?.file ?? '', line: r.source?.line, reason: `ValidatingAdmissionPolicy ${name} has no binding, so Kubernetes does not enforce it; give it with --policy to test it unbound` });
      continue;
    }
    const rule = vapRule(policy, bound, ctxFor);
    const o = overrides(rule.id);
    if (!o.enabled) continue;
    rules.push({ rule, severity: o.severity ?? rule.severity, options: {}, mode: modeOf(bound) });
  }
  return { rules, skipped };
}
