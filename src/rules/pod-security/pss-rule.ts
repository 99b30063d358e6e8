/**
 * Shared shape of the pss-* rules: each runs one upstream Pod Security Standards check (src/analysis/pss) on the
 * pod template of a pod-bearing object, at the latest policy version unless the `version` option pins one, and
 * reports one finding per offending field.
 */
import { checkDefinition, evaluateCheck } from '../../analysis/pss/index.js';
import type { ComplianceRefs, Severity } from '../../core/model.js';
import { podTemplateOf } from '../../core/podspec.js';
import { defineRule, type Rule } from '../../core/rule.js';
import { getAt } from '../../core/pointer.js';

export interface PssRuleSpec {
  id: string;
  /** Upstream check ID (policy/check_*.go), kept as the rule's alias. */
  checkId: string;
  /** Upstream file name under staging/src/k8s.io/pod-security-admission/policy/. */
  upstreamFile: string;
  title: string;
  description: string;
  severity: Severity;
  severityReason: string;
  /** The severity of one offending field, from its value, when it differs from the rule's (e.g. by capability). */
  grade?: (value: unknown) => Severity | undefined;
  remediation: string;
  compliance?: Omit<ComplianceRefs, 'pss'>;
}

export interface PssRuleOptions extends Record<string, unknown> {
  version?: string;
}

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
const UPSTREAM = 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/pod-security-admission/policy/';

export function definePssRule(spec: PssRuleSpec): Rule<PssRuleOptions, 'violation'> {
  const def = checkDefinition(spec.checkId);
  if (!def) throw new Error(`unknown Pod Security Standards check: ${spec.checkId}`);
  const level = def.level;
  return defineRule({
    id: spec.id,
    aliases: [spec.checkId],
    title: spec.title,
    description: spec.description,
    category: 'pod-security',
    severity: spec.severity,
    severityReason: spec.severityReason,
    kinds: 'pod-bearing',
    messages: { violation: '{{detail}} (Pod Security Standards, {{level}}: {{check}})' },
    remediation: spec.remediation,
    references: [PSS_DOCS, UPSTREAM + spec.upstreamFile],
    // A baseline control is part of the restricted profile too.
    compliance: { pss: level === 'baseline' ? ['baseline', 'restricted'] : ['restricted'], pssChecks: [spec.checkId], ...spec.compliance },
    optionsSchema: {
      type: 'object',
      properties: { version: { type: 'string', pattern: '^(latest|v1\\.(0|[1-9][0-9]*))$' } },
      additionalProperties: false,
    },
    defaultOptions: { version: 'latest' },
    check(ctx, resource, options: PssRuleOptions) {
      const t = podTemplateOf(resource.object);
      if (!t) return;
      const violation = evaluateCheck(spec.checkId, t.metadata, t.spec, {
        version: options.version ?? 'latest',
        specPath: t.specPath,
        metadataPath: t.metadataPath,
      });
      if (!violation) return;
      for (const f of violation.fields) {
        const severity = spec.grade?.(getAt(resource.object, f.path));
        ctx.report({ messageId: 'violation', path: f.path, data: { detail: f.message, level, check: spec.checkId }, ...(severity ? { severity } : {}) });
      }
    },
  });
}
