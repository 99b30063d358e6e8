/** who-can, permissions and blast radius as plain text. */
import type { BlastRadius } from '../blast-radius.js';
import type { SubjectPermissions, PermissionRow } from '../permissions.js';
import type { WhoCanResult } from '../who-can.js';
import { renderPathText } from './paths-text.js';
import { subjectText } from './subject.js';

export function renderWhoCanText(r: WhoCanResult): string {
  if (r.subjects.length === 0) return 'Nobody.\n';
  const lines: string[] = [];
  for (const s of r.subjects) {
    lines.push(subjectText(s));
    for (const v of s.via) lines.push(`  via ${v.binding} → ${v.role}`);
  }
  return lines.join('\n') + '\n';
}

function row(r: PermissionRow): string {
  const res = `${r.apiGroup ? r.apiGroup + '/' : ''}${r.resource}${r.resourceNames.length ? ` [${r.resourceNames.join(', ')}]` : ''}`;
  return `  ${res.padEnd(48)} ${r.verbs.join(', ')}`;
}

export function renderPermissionsText(p: SubjectPermissions): string {
  const lines = [`${subjectText(p.subject)} (user "${p.user.name}", groups: ${p.user.groups.join(', ') || 'none'})`];
  if (p.superuser) lines.push('  superuser: member of system:masters, every request is allowed');
  lines.push('', 'Cluster-wide:');
  if (p.clusterWide.length === 0 && p.nonResource.length === 0) lines.push('  (nothing)');
  for (const r of p.clusterWide) lines.push(row(r));
  for (const u of p.nonResource) lines.push(`  ${('url ' + u.url).padEnd(48)} ${u.verbs.join(', ')}`);
  for (const [ns, rows] of Object.entries(p.namespaces)) {
    lines.push('', `Namespace ${ns}:`);
    for (const r of rows) lines.push(row(r));
  }
  return lines.join('\n') + '\n';
}

export function renderBlastRadiusText(b: BlastRadius): string {
  const lines = [`${b.severity.toUpperCase()} ${b.workload.kind} ${b.workload.namespace}/${b.workload.name}`, '', b.summary, ''];
  lines.push(`Service account: ${b.serviceAccount.namespace}/${b.serviceAccount.name}${b.serviceAccount.declared ? '' : ' (not in the input)'}`);
  lines.push(`Token mounted: ${b.tokenMounted ? 'yes' : 'no'} (${b.tokenReason})`);
  lines.push('', 'Dangerous permissions held directly:');
  if (b.abilities.length === 0) lines.push('  none');
  for (const a of b.abilities) lines.push(`  - ${a.words} [${a.scope}] via ${a.via.join('; ')}`);
  lines.push('', 'Escalation:');
  if (b.escalation.length === 0) lines.push('  none');
  for (const p of b.escalation) lines.push(renderPathText(p).replace(/^/gm, '  '));
  return lines.join('\n') + '\n';
}
