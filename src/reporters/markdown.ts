/** Markdown for pull-request comments and job summaries: the table's order and header, as a Markdown table. */
import { formatRef } from '../core/ref.js';
import { escapeMarkdownCell } from './escape.js';
import { fileLine, firstSentence, notEvaluatedGroups, severityCounts, sortFindings, standardsText, topRules } from './present.js';
import type { RenderContext, Reporter } from './types.js';
import type { ScanReport } from '../core/model.js';
import { chunked } from './stream-json.js';

export const markdown: Reporter = (report, ctx) => chunked(lines(report, ctx));

/** Written in chunks, row by row: hundreds of thousands of findings never make one string. */
function* lines(report: ScanReport, ctx: RenderContext): Generator<string> {
  const s = report.summary;
  const cell = escapeMarkdownCell;
  const out = [
    '# kubeguard scan',
    '',
    `**${s.resources} resources, ${s.findings} findings:** ${severityCounts(report).map((c) => `${c.count} ${c.severity}`).join(' · ')}. ` +
      `${s.errors} errors · ${report.notEvaluated.length} not evaluated · ${s.skipped} skipped · ${s.suppressed} suppressed.`,
    '',
  ];
  if (report.shown) out.push(`Shown with \`${report.shown.filters.join(' ')}\`: ${report.shown.hidden} more not shown.`, '');
  const top = topRules(report.findings);
  if (top.length) out.push(`Top rules: ${top.map((t) => `\`${t.ruleId}\` ${t.count}`).join(' · ')}`, '');
  if (report.findings.length) {
    out.push('| Severity | Rule | Resource | Location | Finding | Fix |', '|---|---|---|---|---|---|');
    yield out.join('\n') + '\n';
    out.length = 0;
    for (const { f, ref } of sortFindings(report.findings)) {
      const also = f.related?.length ? `<br>also: ${[...new Set(f.related.map((r) => `\`${r.ruleId}\``))].join(', ')}` : '';
      const standards = ctx.verbose ? standardsText(f.compliance) : '';
      const fix = ctx.verbose ? (f.remediation ?? '') : firstSentence(f.remediation);
      yield `| ${f.severity} | \`${f.ruleId}\` | ${cell(ref)} | ${cell(fileLine(f) || ref)} | ${cell(f.message)}${also}${standards ? `<br>${cell(standards)}` : ''} | ${cell(fix)} |\n`;
    }
    out.push('');
  }
  if (report.errors.length) {
    out.push('## Errors', '', ...report.errors.map((e) => `- ${e.file ? `\`${e.file}${e.line ? ':' + e.line : ''}\`: ` : ''}${cell(e.message)}`), '');
  }
  const groups = notEvaluatedGroups(report.notEvaluated);
  if (groups.length) {
    out.push('## Not evaluated', '', ...groups.map((g) => `- ${g.ruleId ? `\`${g.ruleId}\` ` : ''}${cell(g.reason)}${g.objects.length ? ` (${cell(g.objects.join(', '))})` : ''}`), '');
  }
  const refused = report.refusedExceptions ?? [];
  if (refused.length) {
    out.push('## Annotations not honoured', '', ...refused.map((r) => `- \`${r.ruleId}\` ${cell(formatRef(r.resource))}: ${cell(r.refused)}`), '');
  }
  if (report.skipped.length) {
    out.push('## Skipped', '', ...report.skipped.map((k) => `- \`${k.file}${k.line ? ':' + k.line : ''}\`: ${cell(k.reason)}`), '');
  }
  if (report.expiredExceptions.length) {
    out.push('## Expired exceptions', '', ...report.expiredExceptions.map((x) => `- \`${x.rule}\` expired ${x.expires}: ${cell(x.reason)} (${x.findings} findings count again)`), '');
  }
  yield out.join('\n') + '\n';
}
