/** Rule documentation generated from metadata (docs/rules/<id>.md and `rules explain`). */
import type { RuleMeta } from '../core/rule.js';
import { PRESETS } from './config.js';
import { inPreset } from './presets.js';
import type { Rule } from '../core/rule.js';

/** A fixture shown as an example: what it is, and (for a failing one) what the rule reports on it. */
export interface RuleExample {
  name: string;
  /** yaml or dockerfile, for the code fence. */
  language: string;
  /** The fixture without the tester's `# expect:` / `# options:` lines. */
  text: string;
  /** What the rule reports on it: the field, the message, and the object when the fixture holds several. */
  reports: { messageId: string; path: string; message: string; object?: string }[];
  options?: Record<string, unknown>;
}

function renderExample(e: RuleExample): string[] {
  const reports = e.reports.map((r) => `- \`${r.messageId}\` at \`${r.path || '""'}\`${r.object ? ` of ${r.object}` : ''}: ${r.message}`);
  return [
    `### ${e.reports.length ? 'Reported' : 'Not reported'}: \`${e.name}\``,
    '',
    ...(e.options ? [`With options \`${JSON.stringify(e.options)}\`.`, ''] : []),
    '```' + e.language,
    e.text.trimEnd(),
    '```',
    '',
    ...(reports.length ? [...reports, ''] : []),
  ];
}

export function renderRuleDoc(rule: RuleMeta, examples: readonly RuleExample[] = []): string {
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
  if (examples.length) {
    lines.push('## Examples', '', "The rule's test fixtures: each failing one with exactly what the rule reports on it (message id, field, message).", '');
    for (const e of examples) lines.push(...renderExample(e));
  }
  return lines.join('\n');
}
