/** Factory for binding rules that flag particular subjects (reported at /subjects/<i>). */
import type { Rule, RuleMeta } from '../../core/rule.js';
import { defineRule } from '../../core/rule.js';
import type { BindingRiskOptions } from './binding-exempt.js';
import { BINDING_RISK_OPTIONS, isSystemBinding, rawSubjects } from './binding-exempt.js';

export type SubjectMatcher<M extends string = string> = (s: { kind: string; name: string; namespace?: string }, bindingNamespace: string | undefined) => M | undefined;

export function defineSubjectRule<const M extends string>(
  meta: Omit<RuleMeta<M>, 'kinds' | 'category' | 'optionsSchema' | 'defaultOptions'>,
  match: SubjectMatcher<M>,
): Rule<BindingRiskOptions, M> {
  return defineRule<BindingRiskOptions, M>({
    ...meta,
    category: 'rbac',
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    ...BINDING_RISK_OPTIONS,
    check(ctx, resource, options) {
      const obj = resource.object;
      if (options.ignoreSystemBindings !== false && isSystemBinding(obj)) return;
      const ns = obj.kind === 'RoleBinding' ? (obj.metadata?.namespace ?? 'default') : undefined;
      const roleRef = (obj.roleRef ?? {}) as Record<string, unknown>;
      for (const s of rawSubjects(obj)) {
        const messageId = match(s, ns);
        if (!messageId) continue;
        ctx.report({
          messageId,
          path: `/subjects/${s.index}`,
          data: {
            binding: `${obj.kind} "${obj.metadata?.name ?? ''}"`,
            subject: `${s.kind} ${s.namespace ?? (s.kind === 'ServiceAccount' ? (ns ?? '') : '')}${s.kind === 'ServiceAccount' ? '/' : ''}${s.name}`,
            role: `${String(roleRef.kind ?? '')} ${String(roleRef.name ?? '')}`,
          },
        });
      }
    },
  });
}
