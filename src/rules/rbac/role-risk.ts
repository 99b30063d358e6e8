/**
 * Shared machinery of the RBAC risk rules that judge Role/ClusterRole rules: each rule names a predicate
 * over one PolicyRule (using the authorizer's own matching, so "*" verbs/resources/groups count) and the
 * factory reports every offending rule at /rules/<i> — the field all of them judge, so the findings of several
 * rules on one entry merge into one (src/engine/merge-findings.ts). A role granting every verb on every resource
 * is one problem, "cluster-admin equivalent": all its findings carry one problem key and merge into one.
 */
import type { KubeObject, Severity } from '../../core/model.js';
import { isClusterAdminRule } from '../../analysis/rbac/abilities.js';
import type { Rule, RuleMeta } from '../../core/rule.js';
import { defineRule } from '../../core/rule.js';
import { parsePolicyRule } from '../../analysis/rbac/parse.js';
import { apiGroupMatches, combinedResource, resourceMatches, verbMatches } from '../../analysis/rbac/matching.js';
import type { PolicyRule } from '../../analysis/rbac/types.js';
import { BOOTSTRAP_CLUSTER_ROLE_NAMES } from '../../analysis/rbac/bootstrap-policy.js';
import { isJsonMap as isMap } from '../../core/json.js';

export interface RoleRiskOptions extends Record<string, unknown> {
  /** Skip roles named "system:*" and the bootstrap ClusterRoles (cluster-admin, admin, edit, view, …). */
  ignoreSystemRoles: boolean;
}

export const ROLE_RISK_OPTIONS_SCHEMA = {
  type: 'object',
  properties: { ignoreSystemRoles: { type: 'boolean' } },
  additionalProperties: false,
};

/** What a matching rule grants, in words, and how serious that is when it differs from the rule's default. */
export interface RiskHit<M extends string = string> {
  messageId: M;
  data?: Record<string, string>;
  severity?: Severity;
  /** This hit describes the whole entry (its words head the merged finding). */
  lead?: boolean;
  problems?: string[];
}

/** The role being judged: its kind and every one of its rules (some risks need two rules of one role). */
export interface RoleView {
  kind: string;
  rules: readonly PolicyRule[];
}

export type RiskPredicate<M extends string = string> = (rule: PolicyRule, raw: Record<string, unknown>, role: RoleView) => RiskHit<M> | RiskHit<M>[] | undefined;

/** The verbs a rule grants among `verbs`, in words: a "*" is said as such, not as the verbs it happens to cover. */
export function verbsText(rule: PolicyRule, verbs: readonly string[]): string {
  return rule.verbs.includes('*') ? '"*" (every verb)' : verbs.join('/');
}

/** Roles named "system:*", bootstrap ClusterRole names, and objects labelled as bootstrap policy. */
export function isSystemRole(obj: KubeObject): boolean {
  const name = obj.metadata?.name ?? '';
  return (
    name.startsWith('system:') ||
    (obj.kind === 'ClusterRole' && BOOTSTRAP_CLUSTER_ROLE_NAMES.has(name)) ||
    obj.metadata?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults'
  );
}

/** Verbs of `verbs` the rule allows on group/resource[/sub] (a "*" verb allows all of them). */
export function allowedVerbs(rule: PolicyRule, apiGroup: string, resource: string, verbs: readonly string[], subresource = ''): string[] {
  if (!apiGroupMatches(rule, apiGroup) || !resourceMatches(rule, combinedResource(resource, subresource), subresource)) return [];
  return verbs.filter((v) => verbMatches(rule, v));
}

export function defineRoleRiskRule<const M extends string>(
  meta: Omit<RuleMeta<M>, 'kinds' | 'category' | 'optionsSchema' | 'defaultOptions'> & { kinds?: ('Role' | 'ClusterRole')[] },
  predicate: RiskPredicate<M>,
): Rule<RoleRiskOptions, M> {
  return defineRule<RoleRiskOptions, M>({
    ...meta,
    category: 'rbac',
    kinds: meta.kinds ?? ['Role', 'ClusterRole'],
    optionsSchema: ROLE_RISK_OPTIONS_SCHEMA,
    defaultOptions: { ignoreSystemRoles: true },
    check(ctx, resource, options) {
      const obj = resource.object;
      if (options.ignoreSystemRoles !== false && isSystemRole(obj)) return;
      if (!Array.isArray(obj.rules)) return;
      const raws = obj.rules.map((raw) => (isMap(raw) ? raw : undefined));
      const rules = raws.map((raw) => (raw ? parsePolicyRule(raw) : undefined));
      const role: RoleView = { kind: obj.kind ?? 'Role', rules: rules.filter((r): r is PolicyRule => r !== undefined) };
      const everything = role.rules.some(isClusterAdminRule) ? [`cluster-admin-role:${resource.ref.kind}/${resource.ref.namespace ?? ''}/${resource.ref.name}`] : undefined;
      rules.forEach((rule, i) => {
        if (!rule) return;
        const hits = predicate(rule, raws[i]!, role);
        for (const hit of hits === undefined ? [] : Array.isArray(hits) ? hits : [hits]) {
          const problems = [...(hit.problems ?? []), ...(everything ?? [])];
          ctx.report({
            messageId: hit.messageId,
            path: `/rules/${i}`,
            data: { kind: obj.kind ?? 'Role', name: obj.metadata?.name ?? '', ...(hit.data ?? {}) },
            ...(hit.severity ? { severity: hit.severity } : {}),
            ...(hit.lead ? { lead: true } : {}),
            ...(problems.length ? { problems } : {}),
          });
        }
      });
    },
  });
}
