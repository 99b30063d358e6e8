/**
 * Human output, read top-down: a header with counts and the rules that report most, then one row per finding —
 * worst first, then by resource — with `file:line` a terminal opens, the message, and the remediation on one line
 * (`--verbose`: all of it, with every related finding, the standards and the evidence); then the reason for every
 * error, not-evaluated and skipped entry. Colour only when asked (a TTY).
 */
import pc from 'picocolors';
import type { Finding, ScanReport, Severity } from '../core/model.js';
import { SEVERITIES, severityRank } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import type { RenderContext, Reporter } from './types.js';
import { chunked } from './stream-json.js';
import { fileLine, firstSentence, namespaceNotes, notEvaluatedGroups, severityCounts, sortFindings, standardsText, topRules } from './present.js';

const PAINT: Record<Severity, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  info: pc.dim,
};

const INDENT = ' '.repeat(10);
/** Objects listed per not-evaluated reason before "and N more" (all of them with --verbose). */
const LISTED = 3;

export const table: Reporter = (report, ctx) => chunked(rows(report, ctx));

/** The report line by line (written in chunks: hundreds of thousands of findings never make one string). */
function* rows(report: ScanReport, ctx: RenderContext): Generator<string> {
  const paint = (s: Severity, text: string) => (ctx.color ? PAINT[s](text) : text);
  const dim = (t: string) => (ctx.color ? pc.dim(t) : t);
  const bold = (t: string) => (ctx.color ? pc.bold(t) : t);
  for (const line of header(report, ctx, paint)) yield line + '\n';
  const sorted = sortFindings(report.findings);
  if (sorted.length) {
    let ruleWidth = 4;
    let resWidth = 8;
    for (const { f, ref } of sorted) {
      ruleWidth = Math.max(ruleWidth, f.ruleId.length);
      resWidth = Math.max(resWidth, ref.length);
    }
    ruleWidth = Math.min(36, ruleWidth);
    resWidth = Math.min(60, resWidth);
    yield '\n' + bold(`${'SEVERITY'.padEnd(9)} ${'RULE'.padEnd(ruleWidth)}  ${'RESOURCE'.padEnd(resWidth)}  LOCATION`) + '\n';
    const label = Object.fromEntries(SEVERITIES.map((s) => [s, paint(s, s.toUpperCase().padEnd(9))])) as Record<Severity, string>;
    // a rule's remediation is the same under each of its findings: its first sentence is found once
    const sentences = new Map<string, string>();
    const fix = (text: string) => sentences.get(text) ?? sentences.set(text, firstSentence(text)).get(text)!;
    // one piece per finding: its row and the lines under it
    for (const { f, ref } of sorted) yield `${label[f.severity]} ${f.ruleId.padEnd(ruleWidth)}  ${ref.padEnd(resWidth)}  ${fileLine(f)}\n${details(f, ctx, dim, fix).join('\n')}\n`;
  }
  for (const line of notes(report, ctx, paint)) yield line + '\n';
}

function header(report: ScanReport, ctx: RenderContext, paint: (s: Severity, t: string) => string): string[] {
  const s = report.summary;
  const counts = severityCounts(report).map(({ severity, count }) => (count ? paint(severity, `${count} ${severity}`) : `${count} ${severity}`)).join(' · ');
  const out = [`${s.resources} resources scanned: ${s.findings} findings — ${counts}`];
  if (report.shown) out.push(`shown with ${report.shown.filters.join(' ')}: ${report.shown.hidden} more not shown (the exit code counts them)`);
  if (ctx.failOn) {
    const fails = ctx.fails ?? ((f: Finding) => severityRank(f.severity) >= severityRank(ctx.failOn!));
    out.push(`${report.findings.filter(fails).length} fail the run (--fail-on ${ctx.failOn}${ctx.fails ? ', and any denial of a standard preset' : ''})`);
  }
  const top = topRules(report.findings);
  if (top.length) out.push(`top rules: ${top.map((t) => `${t.ruleId} ${t.count}`).join(' · ')}`);
  out.push(`${s.errors} errors · ${report.notEvaluated.length} not evaluated · ${s.skipped} skipped · ${s.suppressed} suppressed by exceptions`);
  // objects placed from the input's own references (said per finding in JSON and with --verbose)
  for (const n of namespaceNotes(report.findings)) out.push(`namespace (${n.findings} finding${n.findings === 1 ? '' : 's'}): ${n.note.replace(/^the manifest sets no namespace; /, 'set by no manifest; ')}`);
  return out;
}

function details(f: Finding, ctx: RenderContext, dim: (t: string) => string, fix: (remediation: string) => string): string[] {
  const out = [`${INDENT}${f.message}`];
  if (f.namespaceNote && ctx.verbose) out.push(`${INDENT}${dim(`namespace: ${f.namespaceNote}`)}`);
  const related = f.related ?? [];
  if (ctx.verbose) {
    for (const r of related) {
      const other = r.resource.kind !== f.resource.kind || r.resource.name !== f.resource.name || r.resource.namespace !== f.resource.namespace;
      out.push(`${INDENT}${dim(`also ${r.severity} ${r.ruleId}${other ? ` on ${formatRef(r.resource)}` : ''}${r.location ? ` (${fileLine(r)})` : ''}: ${r.message}`)}`);
    }
    const standards = standardsText(f.compliance);
    if (standards) out.push(`${INDENT}${dim(`standards: ${standards}`)}`);
    if (f.evidence) out.push(`${INDENT}${dim(`evidence: ${f.evidence}`)}`);
    if (f.remediation) out.push(`${INDENT}fix: ${f.remediation}`);
    out.push(`${INDENT}${dim(`field: ${f.path || '(the object)'} · kubeguard rules explain ${f.ruleId}`)}`);
  } else {
    if (related.length) out.push(`${INDENT}${dim(`also: ${[...new Set(related.map((r) => r.ruleId))].join(', ')}`)}`);
    if (f.remediation) out.push(`${INDENT}fix: ${fix(f.remediation)}`);
  }
  return out;
}

function notes(report: ScanReport, ctx: RenderContext, paint: (s: Severity, t: string) => string): string[] {
  const out: string[] = [];
  if (report.errors.length) {
    out.push('', paint('high', `ERRORS (${report.errors.length}): the scan is incomplete`));
    for (const e of report.errors) out.push(`  ${e.file ? `${e.file}${e.line ? ':' + e.line : ''}: ` : ''}${e.message}`);
  }
  const groups = notEvaluatedGroups(report.notEvaluated);
  if (groups.length) {
    out.push('', `NOT EVALUATED (${report.notEvaluated.length})`);
    for (const g of groups) {
      const shown = ctx.verbose ? g.objects : g.objects.slice(0, LISTED);
      const more = g.objects.length - shown.length;
      const label = g.notVisible ? 'not visible' : g.ruleId ? 'could not evaluate' : 'no rule applies';
      out.push(`  ${g.ruleId ? g.ruleId + ' ' : ''}${label}: ${g.reason}`);
      if (shown.length) out.push(`    ${shown.join(', ')}${more > 0 ? ` and ${more} more (--verbose lists them)` : ''}`);
    }
  }
  const refused = report.refusedExceptions ?? [];
  if (refused.length) {
    out.push('', `ANNOTATIONS NOT HONOURED (${refused.length}): the findings stand`);
    for (const r of refused) out.push(`  ${r.ruleId} ${formatRef(r.resource)}: ${r.refused}`);
  }
  if (report.skipped.length) {
    out.push('', `SKIPPED (${report.skipped.length})`);
    for (const k of report.skipped) out.push(`  ${k.file}${k.line ? ':' + k.line : ''}: ${k.reason}`);
  }
  if (report.expiredExceptions.length) {
    out.push('', `EXPIRED EXCEPTIONS (${report.expiredExceptions.length})`);
    for (const x of report.expiredExceptions) {
      out.push(`  ${x.rule} (expired ${x.expires}${x.owner ? `, owner ${x.owner}` : ''}${x.ticket ? `, ${x.ticket}` : ''}): ${x.findings} finding(s) count again — ${x.reason}`);
    }
  }
  return out;
}
