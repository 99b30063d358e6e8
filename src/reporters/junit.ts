/** JUnit XML: one testsuite per file, one testcase per resource × rule that reported; failures carry findings. */
import type { Finding } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import { escapeXml } from './escape.js';
import { noteWhere } from './fingerprint.js';
import type { Reporter } from './types.js';

export const junit: Reporter = (report) => {
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const file = f.location?.file ?? '(no file)';
    (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(f);
  }
  const suites: string[] = [];
  for (const [file, findings] of byFile) {
    const cases = findings.map((f) => {
      const name = `${formatRef(f.resource)} ${f.ruleId}`;
      const where = f.location?.line ? `${file}:${f.location.line}` : file;
      return `    <testcase classname="${escapeXml(f.ruleId)}" name="${escapeXml(name)}" file="${escapeXml(file)}"${f.location?.line ? ` line="${f.location.line}"` : ''}>
      <failure type="${f.severity}" message="${escapeXml(f.message)}">${escapeXml(`${where} ${f.path}\n${f.message}\nRemediation: ${f.remediation ?? ''}`)}</failure>
    </testcase>`;
    });
    suites.push(`  <testsuite name="${escapeXml(file)}" tests="${findings.length}" failures="${findings.length}" errors="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (report.errors.length) {
    const cases = report.errors.map((e) => `    <testcase classname="kubeguard" name="${escapeXml(`${e.kind}: ${e.file ?? ''}`)}">\n      <error message="${escapeXml(e.message)}"/>\n    </testcase>`);
    suites.push(`  <testsuite name="kubeguard errors" tests="${report.errors.length}" failures="0" errors="${report.errors.length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (report.skipped.length) {
    const cases = report.skipped.map((s) => `    <testcase classname="kubeguard" name="${escapeXml(`skipped: ${noteWhere(s)}`)}">\n      <skipped message="${escapeXml(s.reason)}"/>\n    </testcase>`);
    suites.push(`  <testsuite name="kubeguard skipped" tests="${report.skipped.length}" failures="0" errors="0" skipped="${report.skipped.length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (suites.length === 0) suites.push(`  <testsuite name="kubeguard" tests="1" failures="0" errors="0">\n    <testcase classname="kubeguard" name="scan (${report.summary.resources} resources)"/>\n  </testsuite>`);
  const total = report.findings.length + report.errors.length + report.skipped.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kubeguard" tests="${Math.max(total, 1)}" failures="${report.findings.length}" errors="${report.errors.length}" skipped="${report.skipped.length}">\n${suites.join('\n')}\n</testsuites>\n`;
};
