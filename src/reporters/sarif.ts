/**
 * SARIF 2.1.0 for GitHub code scanning and other CI: rules from the catalogue with help text, results with
 * physicalLocation.region.startLine, and stable partialFingerprints.
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import type { Finding, Severity } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import { fingerprint } from './fingerprint.js';
import type { Reporter } from './types.js';
import { STREAMED, streamJsonCompact } from './stream-json.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub reads properties.security-severity (a CVSS-like score) to rank security alerts.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function artifactUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

function notification(level: 'error' | 'warning' | 'note', text: string, at: { file?: string; line?: number }) {
  return {
    level,
    message: { text },
    ...(at.file && { locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(at.file) }, ...(at.line && { region: { startLine: at.line } }) } }] }),
  };
}

export const sarif: Reporter = (report, { rules }) => {
  const used = new Set(report.findings.map((f) => f.ruleId));
  const driverRules = rules.filter((r) => used.has(r.id));
  const ruleIndex = new Map(driverRules.map((r, i) => [r.id, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: 'https://github.com/kubeguard/kubeguard',
            rules: driverRules.map((r) => ({
              id: r.id,
              name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: { text: `${r.description}\n\nRemediation: ${r.remediation}`, markdown: `${r.description}\n\n**Remediation:** ${r.remediation}` },
              ...(r.references?.[0] && { helpUri: r.references[0] }),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: {
                tags: ['security', 'kubernetes', r.category],
                'security-severity': SECURITY_SEVERITY[r.severity],
                ...(r.compliance && { compliance: r.compliance }),
              },
            })),
          },
        },
        results: STREAMED,
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.errors.map((e) => notification('error', e.message, e)),
              // skipped documents and inputs: notes, so a reader of the SARIF alone knows what was not judged
              ...report.skipped.map((s) => notification('note', `skipped: ${s.reason}`, s)),
              ...(report.refusedExceptions ?? []).map((r) => notification('warning', `kubeguard.io/ignore not honoured for ${r.ruleId} on ${formatRef(r.resource)}: ${r.refused}`, {})),
            ],
          },
        ],
      },
    ],
  };
  // results are rendered one by one as they are written (a report may hold hundreds of thousands), without
  // indentation: SARIF is read by programs (code scanning, viewers), and indentation made ~40% of its bytes
  return streamJsonCompact(doc, results(report.findings, ruleIndex));
};

/**
 * One result per finding, each built as one object literal: a member left undefined is one JSON.stringify leaves
 * out, so every result has the same shape (no spread per optional member) and prints as it did with the spreads.
 */
function* results(findings: readonly Finding[], ruleIndex: Map<string, number>): Generator<unknown> {
  const uris = new Map<string, string>();
  const physical = (at: { file: string; line?: number } | undefined) => {
    if (!at) return undefined;
    let uri = uris.get(at.file);
    if (uri === undefined) uris.set(at.file, (uri = artifactUri(at.file)));
    return { artifactLocation: { uri }, region: at.line ? { startLine: at.line } : undefined };
  };
  for (const f of findings) {
    const ref = formatRef(f.resource);
    yield {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${f.message} (${ref} ${f.path})` },
      locations: [{ physicalLocation: physical(f.location), logicalLocations: [{ fullyQualifiedName: ref, kind: 'resource' }] }],
      // findings merged into this one (other rules on the same field, other objects of the same problem)
      relatedLocations: f.related?.length
        ? f.related.map((r, id) => ({
            id,
            physicalLocation: physical(r.location),
            logicalLocations: [{ fullyQualifiedName: formatRef(r.resource), kind: 'resource' }],
            message: { text: `${r.ruleId} (${r.severity}): ${r.message}` },
          }))
        : undefined,
      partialFingerprints: { 'kubeguard/v1': fingerprint(f) },
      properties: { severity: f.severity, path: f.path },
    };
  }
}
