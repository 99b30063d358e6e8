/**
 * One self-contained HTML file (no network): summary with the top rules, filters by severity and rule, findings in
 * the table's order (worst first, then by resource) with evidence, related findings, standards and remediation, and
 * the reason for every error, not-evaluated and skipped entry.
 */
import { SEVERITIES } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import { escapeXml as esc } from './escape.js';
import { where } from './fingerprint.js';
import { notEvaluatedGroups, sortFindings, standardsText, topRules } from './present.js';
import type { Reporter } from './types.js';
import type { Finding } from '../core/model.js';
import { chunked } from './stream-json.js';

const STYLE = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}.sev{font-weight:bold;text-transform:uppercase}
.critical{color:#8b0000}.high{color:#d00}.medium{color:#b60}.low{color:#06c}.info{color:#777}code,pre{background:#f5f5f5;padding:2px 4px}
pre{margin:4px 0;white-space:pre-wrap}.filters{margin:1em 0}`;

const SCRIPT = `const f=()=>{const s=document.getElementById('sev').value,r=document.getElementById('rule').value;
for(const tr of document.querySelectorAll('tbody tr')){tr.hidden=(s&&tr.dataset.sev!==s)||(r&&tr.dataset.rule!==r);}};
document.getElementById('sev').onchange=f;document.getElementById('rule').onchange=f;`;

export const html: Reporter = (report, { rules }) => {
  const s = report.summary;
  const ruleIds = [...new Set(report.findings.map((f) => f.ruleId))].sort();
  const titles = new Map<string, string>();
  for (const r of rules) if (!titles.has(r.id)) titles.set(r.id, r.title);
  const title = (id: string) => titles.get(id) ?? id;
  const row = (f: Finding, ref: string) => {
      const related = (f.related ?? []).map((r) => `<li><code>${esc(r.ruleId)}</code> ${esc(formatRef(r.resource))} <small>${esc(where(r))}</small>: ${esc(r.message)}</li>`).join('');
      const standards = standardsText(f.compliance);
      return `<tr data-sev="${f.severity}" data-rule="${esc(f.ruleId)}"><td class="sev ${f.severity}">${f.severity}</td>
<td><code>${esc(f.ruleId)}</code><br>${esc(title(f.ruleId))}</td><td>${esc(ref)}<br><small>${esc(where(f))}</small></td>
<td>${esc(f.message)}<pre>${esc(f.path)}${f.evidence ? '\n' + esc(f.evidence) : ''}</pre>${related ? `<ul>${related}</ul>` : ''}${f.namespaceNote ? `<small>namespace: ${esc(f.namespaceNote)}</small><br>` : ''}${standards ? `<small>${esc(standards)}</small><br>` : ''}<small>${esc(f.remediation ?? '')}</small></td></tr>`;
  };
  const errors = report.errors.map((e) => `<li>${esc(e.file ? `${e.file}${e.line ? ':' + e.line : ''}: ` : '')}${esc(e.message)}</li>`).join('');
  const notEvaluated = notEvaluatedGroups(report.notEvaluated).map((g) => `<li>${g.ruleId ? `<code>${esc(g.ruleId)}</code> ` : ''}${esc(g.reason)}${g.objects.length ? ` <small>(${esc(g.objects.join(', '))})</small>` : ''}</li>`).join('');
  const refused = (report.refusedExceptions ?? []).map((r) => `<li><code>${esc(r.ruleId)}</code> ${esc(formatRef(r.resource))}: ${esc(r.refused)}</li>`).join('');
  const skipped = report.skipped.map((k) => `<li>${esc(`${k.file}${k.line ? ':' + k.line : ''}`)}: ${esc(k.reason)}</li>`).join('');
  const top = topRules(report.findings);
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kubeguard report</title><style>${STYLE}</style></head><body>
<h1>kubeguard report</h1>
<p>${s.resources} resources, ${s.findings} findings: ${SEVERITIES.slice().reverse().map((x) => `<span class="${x}">${s.bySeverity[x]} ${x}</span>`).join(', ')}; ${s.suppressed} suppressed; ${s.errors} errors; ${report.notEvaluated.length} not evaluated; ${s.skipped} skipped.</p>
${report.shown ? `<p>Shown with <code>${esc(report.shown.filters.join(' '))}</code>: ${report.shown.hidden} more not shown.</p>` : ''}
${top.length ? `<p>Top rules: ${top.map((t) => `<code>${esc(t.ruleId)}</code> ${t.count}`).join(' · ')}</p>` : ''}
<div class="filters"><label>Severity <select id="sev"><option value="">all</option>${SEVERITIES.slice().reverse().map((x) => `<option>${x}</option>`).join('')}</select></label>
<label>Rule <select id="rule"><option value="">all</option>${ruleIds.map((r) => `<option>${esc(r)}</option>`).join('')}</select></label></div>
<table><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Finding</th></tr></thead><tbody>
`;
  const tail = `
</tbody></table>
${errors ? `<h2>Errors</h2><ul>${errors}</ul>` : ''}
${notEvaluated ? `<h2>Not evaluated</h2><ul>${notEvaluated}</ul>` : ''}
${refused ? `<h2>Annotations not honoured</h2><ul>${refused}</ul>` : ''}
${skipped ? `<h2>Skipped</h2><ul>${skipped}</ul>` : ''}
<script>${SCRIPT}</script></body></html>
`;
  // the rows are rendered as they are written: a report may hold hundreds of thousands
  const sorted = sortFindings(report.findings);
  return chunked(
    (function* () {
      yield head;
      for (let i = 0; i < sorted.length; i++) yield (i ? '\n' : '') + row(sorted[i].f, sorted[i].ref);
      yield tail;
    })(),
  );
};
