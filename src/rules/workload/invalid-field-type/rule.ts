import { defineRule } from '../../../core/rule.js';
import { POD_METADATA_FIELD_TYPES, POD_SPEC_FIELD_TYPES, typeMismatches } from '../../../core/pod-field-types.js';
import type { JsonPatchOp } from '../../../core/model.js';
import type { TypeMismatch } from '../../../core/pod-field-types.js';
import { podView } from '../containers.js';

const ARTICLE: Record<TypeMismatch['expected'], string> = { boolean: 'a boolean', integer: 'an integer', string: 'a string', object: 'an object', array: 'a list' };

/** The value the author evidently meant, when a string spells it unambiguously (`"true"`, `"1000"`). */
function meant(m: TypeMismatch): boolean | number | undefined {
  if (typeof m.value !== 'string') return undefined;
  if (m.expected === 'boolean' && (m.value === 'true' || m.value === 'false')) return m.value === 'true';
  if (m.expected === 'integer' && /^-?(0|[1-9][0-9]{0,15})$/.test(m.value)) return Number(m.value);
  return undefined;
}

/**
 * Security-relevant pod-spec fields holding a value of the wrong JSON type (core/pod-field-types.ts). The API server
 * rejects such an object; a scanner that ignored the type would read `privileged: "true"` as "not true" and pass it,
 * and tools that convert values by schema on the way (Helm's --set, Terraform's kubernetes_manifest) would apply
 * what the string says. Either way the manifest does not mean what a reader sees.
 */
export default defineRule({
  id: 'invalid-field-type',
  title: 'Security field of the wrong type',
  description:
    'A security-relevant pod-spec field holds a value of the wrong type, e.g. `privileged: "true"` (a string where the API ' +
    'expects a boolean) or `runAsUser: "1000"`. The API server rejects the object; tools that convert values on the way may ' +
    'instead apply what the string says. Neither what kubeguard judges nor what reviewers read is what would run.',
  category: 'workload',
  severity: 'high',
  severityReason:
    'a security setting that is not what a reader sees: the API server refuses the object, or a tool that converts values by schema applies what the string says (privileged: "true" runs privileged); the scan cannot vouch for either',
  kinds: 'pod-bearing',
  messages: {
    mismatch: '{{field}} is {{actual}} where the API expects {{expected}}: the API server would reject this object',
  },
  remediation: 'Write the value with its API type: unquoted true/false for booleans, an unquoted number for integers (e.g. `privileged: false`, `runAsUser: 1000`).',
  references: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/'],
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    const { template } = pod;
    const found = typeMismatches(template.spec, POD_SPEC_FIELD_TYPES, template.specPath);
    typeMismatches(template.metadata, POD_METADATA_FIELD_TYPES, template.metadataPath, found);
    for (const m of found) {
      const value = meant(m);
      const fix: JsonPatchOp[] | undefined = value === undefined ? undefined : [{ op: 'replace', path: m.path, value }];
      ctx.report({
        messageId: 'mismatch',
        path: m.path,
        data: { field: m.path.slice(template.specPath.length + 1) || m.path, actual: `a ${m.actual}`, expected: ARTICLE[m.expected] },
        ...(value !== undefined && { evidence: JSON.stringify(m.value) }),
        ...(fix && { fix }),
      });
    }
  },
});
