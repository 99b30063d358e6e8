/** Markdown for pull-request comments and job summaries. */
import { SEVERITIES } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import { escapeMarkdownCell } from './escape.js';
import { where } from './fingerprint.js';
import type { Reporter } from './types.js';

export const markdown: Reporter = (report) => {
  const s = report.summary;
  const out = [
    '# kubeguard scan',
    '',
    `${s.resources} resources, ${s.findings} findings: ${SEVERITIES.slice().reverse().map((x) => `${s.bySeverity[x]} ${x}`).join(', ')}. ${s.suppressed} suppressed, ${s.errors} errors.`,
    '',
  ];
  if (report.findings.length) {
    out.push('| Severity | Rule | Resource | Location | Message |', '|---|---|---|---|---|');
    for (const f of report.findings) {
      out.push(`| ${f.severity} | \`${f.ruleId}\` | ${escapeMarkdownCell(formatRef(f.resource))} | ${escapeMarkdownCell(where(f))} | ${escapeMarkdownCell(f.message)} |`);
    }
    out.push('');
  }
  if (report.errors.length) {
    out.push('## Errors', '', ...report.errors.map((e) => `- ${e.file ? `\`${e.file}${e.line ? ':' + e.line : ''}\`: ` : ''}${escapeMarkdownCell(e.message)}`), '');
  }
  if (report.expiredExceptions.length) {
    out.push('## Expired exceptions', '', ...report.expiredExceptions.map((x) => `- \`${x.rule}\` expired ${x.expires}: ${escapeMarkdownCell(x.reason)} (${x.findings} findings count again)`), '');
  }
  return out.join('\n') + '\n';
};
