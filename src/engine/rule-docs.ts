/** Rule documentation generated from metadata (docs/rules/<id>.md and `rules explain`). */
import type { RuleMeta } from '../core/rule.js';
import { PRESETS } from './config.js';
import { inPreset } from './presets.js';
import type { Rule } from '../core/rule.js';

export function renderRuleDoc(rule: RuleMeta): string {
  const c = rule.compliance ?? {};
  const compliance = [
    c.pss?.length ? `Pod Security Standards: ${c.pss.join(', ')}` : '',
    c.cis?.length ? `CIS Kubernetes Benchmark: ${c.cis.join(', ')}` : '',
    c.nsa?.length ? `NSA/CISA Kubernetes Hardening Guide: ${c.nsa.join('; ')}` : '',
    c.mitre?.length ? `MITRE ATT&CK: ${c.mitre.join(', ')}` : '',
  ].filter(Boolean);
  const presets = PRESETS.filter((p) => inPreset(rule as Rule, p));
  const lines = [
    `# ${rule.id}`,
    '',
    `**${rule.title}**`,
    '',
    rule.description,
    '',
    `- Category: ${rule.category}`,
    `- Default severity: ${rule.severity}${rule.severityReason ? ` — ${rule.severityReason}` : ''}`,
    `- Applies to: ${rule.kinds === 'pod-bearing' ? 'every object with a pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController, PodTemplate, CRDs with spec.template)' : rule.kinds.join(', ')}`,
    `- Presets: ${presets.length ? presets.join(', ') : 'none (enable in config)'}`,
    ...(rule.aliases?.length ? [`- Aliases: ${rule.aliases.join(', ')}`] : []),
    ...(rule.needsFullView ? ['- Judges the object against the whole scanned set, so the admission webhook does not run it'] : []),
    '',
    '## Remediation',
    '',
    rule.remediation,
    '',
  ];
  if (compliance.length) lines.push('## Compliance', '', ...compliance.map((x) => `- ${x}`), '');
  if (rule.optionsSchema) lines.push('## Options', '', '```json', JSON.stringify(rule.optionsSchema, null, 2), '```', '');
  if (rule.references?.length) lines.push('## References', '', ...rule.references.map((r) => `- ${r}`), '');
  return lines.join('\n');
}
