/** One self-contained HTML file (no network): summary, filters by severity and rule, findings with evidence. */
import { SEVERITIES } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import { escapeXml as esc } from './escape.js';
import { where } from './fingerprint.js';
import type { Reporter } from './types.js';

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
  const title = (id: string) => rules.find((r) => r.id === id)?.title ?? id;
  const rows = report.findings
    .map(
      (f) => `<tr data-sev="${f.severity}" data-rule="${esc(f.ruleId)}"><td class="sev ${f.severity}">${f.severity}</td>
<td><code>${esc(f.ruleId)}</code><br>${esc(title(f.ruleId))}</td><td>${esc(formatRef(f.resource))}<br><small>${esc(where(f))}</small></td>
<td>${esc(f.message)}<pre>${esc(f.path)}${f.evidence ? '\n' + esc(f.evidence) : ''}</pre><small>${esc(f.remediation ?? '')}</small></td></tr>`,
    )
    .join('\n');
  const errors = report.errors.map((e) => `<li>${esc(e.file ? `${e.file}${e.line ? ':' + e.line : ''}: ` : '')}${esc(e.message)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kubeguard report</title><style>${STYLE}</style></head><body>
<h1>kubeguard report</h1>
<p>${s.resources} resources, ${s.findings} findings: ${SEVERITIES.slice().reverse().map((x) => `<span class="${x}">${s.bySeverity[x]} ${x}</span>`).join(', ')}; ${s.suppressed} suppressed; ${s.errors} errors.</p>
<div class="filters"><label>Severity <select id="sev"><option value="">all</option>${SEVERITIES.slice().reverse().map((x) => `<option>${x}</option>`).join('')}</select></label>
<label>Rule <select id="rule"><option value="">all</option>${ruleIds.map((r) => `<option>${esc(r)}</option>`).join('')}</select></label></div>
<table><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Finding</th></tr></thead><tbody>
${rows}
</tbody></table>
${errors ? `<h2>Errors</h2><ul>${errors}</ul>` : ''}
<script>${SCRIPT}</script></body></html>
`;
};
