/**
 * The JSON report, streamed: byte-identical to JSON.stringify(report, null, 2), but produced in chunks so a report
 * with millions of findings (a 150,000-pod cluster) never has to fit in one string.
 */
import type { ScanReport } from '../core/model.js';
import type { Reporter } from './types.js';

const CHUNK = 1 << 20;

function indent(text: string, by: string): string {
  return text.replace(/\n/g, '\n' + by);
}

export const json: Reporter = function* (report: ScanReport) {
  const keys = Object.keys(report) as (keyof ScanReport)[];
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const sep = i < keys.length - 1 ? ',' : '';
    if (key !== 'findings' || report.findings.length === 0) {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(report[key], null, 2), '  ')}${sep}\n`;
      continue;
    }
    let buf = '  "findings": [';
    for (let j = 0; j < report.findings.length; j++) {
      buf += (j ? ',' : '') + '\n    ' + indent(JSON.stringify(report.findings[j], null, 2), '    ');
      if (buf.length > CHUNK) {
        yield buf;
        buf = '';
      }
    }
    yield buf + `\n  ]${sep}\n`;
  }
  yield '}\n';
};
