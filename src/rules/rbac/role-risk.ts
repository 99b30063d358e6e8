/**
 * Shared machinery of the RBAC risk rules that judge Role/ClusterRole rules: each rule names a predicate
 * over one PolicyRule (using the authorizer's own matching, so "*" verbs/resources/groups count) and the
 * factory reports every offending rule at /rules/<i>.
 */
import type { KubeObject } from '../../core/model.js';
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

/** What a matching rule grants, in words, plus where to point (defaults to the rule itself). */
export interface RiskHit {
  messageId: string;
  data?: Record<string, string>;
  /** Pointer suffix inside the rule, e.g. "/verbs/0". */
  subPath?: string;
}

export type RiskPredicate = (rule: PolicyRule, raw: Record<string, unknown>) => RiskHit | RiskHit[] | undefined;

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

export function defineRoleRiskRule(
  meta: Omit<RuleMeta, 'kinds' | 'category' | 'optionsSchema' | 'defaultOptions'> & { kinds?: ('Role' | 'ClusterRole')[] },
  predicate: RiskPredicate,
): Rule<RoleRiskOptions> {
  return defineRule<RoleRiskOptions>({
    ...meta,
    category: 'rbac',
    kinds: meta.kinds ?? ['Role', 'ClusterRole'],
    optionsSchema: ROLE_RISK_OPTIONS_SCHEMA,
    defaultOptions: { ignoreSystemRoles: true },
    check(ctx, resource, options) {
      const obj = resource.object;
      if (options.ignoreSystemRoles !== false && isSystemRole(obj)) return;
      if (!Array.isArray(obj.rules)) return;
      obj.rules.forEach((raw, i) => {
        if (!isMap(raw)) return;
        const hits = predicate(parsePolicyRule(raw), raw);
        for (const hit of hits === undefined ? [] : Array.isArray(hits) ? hits : [hits]) {
          ctx.report({
            messageId: hit.messageId,
            path: `/rules/${i}${hit.subPath ?? ''}`,
            data: { kind: obj.kind ?? 'Role', name: obj.metadata?.name ?? '', ...(hit.data ?? {}) },
          });
        }
      });
    },
  });
}
