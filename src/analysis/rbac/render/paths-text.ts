/** Escalation paths as plain text: one block per path, one numbered line per step. */
import type { EscalationPath } from '../escalation/model.js';
import { CAPABILITIES } from '../escalation/model.js';
import { subjectText } from './subject.js';

export function pathOneLine(p: EscalationPath): string {
  return [subjectText(p.from), ...p.steps.map((s) => s.action), CAPABILITIES[p.to]].join(' → ');
}

export function renderPathText(p: EscalationPath): string {
  const lines = [`${p.severity.toUpperCase()} ${subjectText(p.from)} ⇒ ${CAPABILITIES[p.to]} (${p.steps.length} step${p.steps.length === 1 ? '' : 's'})`];
  p.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. [${s.subject}] ${s.action}`);
    lines.push(`     permission: ${s.permission}`);
    lines.push(`     via: ${s.via}`);
  });
  return lines.join('\n');
}

export function renderPathsText(paths: readonly EscalationPath[]): string {
  if (paths.length === 0) return 'No escalation paths found.\n';
  return paths.map(renderPathText).join('\n\n') + '\n';
}
