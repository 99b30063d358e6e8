/** JUnit XML: one testsuite per file, one testcase per resource × rule that reported; failures carry findings. */
import type { Finding, ScanReport } from '../core/model.js';
import { chunked } from './stream-json.js';
import { formatRef } from '../core/ref.js';
import { escapeXml } from './escape.js';
import { noteWhere } from './fingerprint.js';
import type { Reporter } from './types.js';

export const junit: Reporter = (report) => chunked(xml(report));

function* xml(report: ScanReport): Generator<string> {
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const file = f.location?.file ?? '(no file)';
    (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(f);
  }
  const total = report.findings.length + report.errors.length + report.skipped.length;
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kubeguard" tests="${Math.max(total, 1)}" failures="${report.findings.length}" errors="${report.errors.length}" skipped="${report.skipped.length}">\n`;
  // findings are rendered suite by suite, case by case, as they are written
  let first = true;
  for (const [file, findings] of byFile) {
    yield `${first ? '' : '\n'}  <testsuite name="${escapeXml(file)}" tests="${findings.length}" failures="${findings.length}" errors="0">\n`;
    first = false;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i];
      const name = `${formatRef(f.resource)} ${f.ruleId}`;
      const where = f.location?.line ? `${file}:${f.location.line}` : file;
      yield `${i ? '\n' : ''}    <testcase classname="${escapeXml(f.ruleId)}" name="${escapeXml(name)}" file="${escapeXml(file)}"${f.location?.line ? ` line="${f.location.line}"` : ''}>
      <failure type="${f.severity}" message="${escapeXml(f.message)}">${escapeXml(`${where} ${f.path}\n${f.message}\nRemediation: ${f.remediation ?? ''}`)}</failure>
    </testcase>`;
    }
    yield '\n  </testsuite>';
  }
  const suites: string[] = [];
  if (report.errors.length) {
    const cases = report.errors.map((e) => `    <testcase classname="kubeguard" name="${escapeXml(`${e.kind}: ${e.file ?? ''}`)}">\n      <error message="${escapeXml(e.message)}"/>\n    </testcase>`);
    suites.push(`  <testsuite name="kubeguard errors" tests="${report.errors.length}" failures="0" errors="${report.errors.length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (report.skipped.length) {
    const cases = report.skipped.map((s) => `    <testcase classname="kubeguard" name="${escapeXml(`skipped: ${noteWhere(s)}`)}">\n      <skipped message="${escapeXml(s.reason)}"/>\n    </testcase>`);
    suites.push(`  <testsuite name="kubeguard skipped" tests="${report.skipped.length}" failures="0" errors="0" skipped="${report.skipped.length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (suites.length === 0 && first) suites.push(`  <testsuite name="kubeguard" tests="1" failures="0" errors="0">\n    <testcase classname="kubeguard" name="scan (${report.summary.resources} resources)"/>\n  </testsuite>`);
  yield `${suites.length && !first ? '\n' : ''}${suites.join('\n')}\n</testsuites>\n`;
}
