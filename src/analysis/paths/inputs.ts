/**
 * The side inputs of `kubeguard paths`, parsed from JSON and bounded:
 * - vulnerabilities: `{"images": {"REF": [{"id", "severity", "package"?, "version"?, "fixedVersion"?, "knownExploited"?}]}}`;
 * - incidents: the output of `kubeguard runtime analyze --format json` (`{"incidents": [...]}`) or its array.
 * Errors name the field, never a value.
 */
import { UsageError } from '../../core/errors.js';
import { isJsonMap } from '../../core/json.js';
import { SEVERITIES, type Severity } from '../../core/model.js';
import type { ImageVulnerability, IncidentMark } from './build.js';

const MAX_IMAGES = 100_000;
const MAX_PER_IMAGE = 10_000;
const MAX_INCIDENTS = 100_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 1024 ? v : undefined);

export function parseVulnerabilities(doc: unknown, what: string): Map<string, ImageVulnerability[]> {
  if (!isJsonMap(doc) || !isJsonMap(doc.images)) throw new UsageError(`${what}: expected {"images": {"IMAGE": [vulnerabilities]}}`);
  const entries = Object.entries(doc.images);
  if (entries.length > MAX_IMAGES) throw new UsageError(`${what}: more than ${MAX_IMAGES} images`);
  const out = new Map<string, ImageVulnerability[]>();
  for (const [image, list] of entries) {
    if (!Array.isArray(list) || list.length > MAX_PER_IMAGE) throw new UsageError(`${what}: images entries must be arrays of at most ${MAX_PER_IMAGE} vulnerabilities`);
    const vulns: ImageVulnerability[] = [];
    for (const v of list) {
      if (!isJsonMap(v) || !str(v.id)) throw new UsageError(`${what}: every vulnerability needs an "id"`);
      const sev = typeof v.severity === 'string' ? v.severity.toLowerCase() : 'unknown';
      vulns.push({
        id: str(v.id)!,
        severity: (SEVERITIES as readonly string[]).includes(sev) ? (sev as Severity) : 'unknown',
        ...(str(v.package) ? { package: str(v.package) } : {}),
        ...(str(v.version) ? { version: str(v.version) } : {}),
        ...(str(v.fixedVersion) ? { fixedVersion: str(v.fixedVersion) } : {}),
        ...(v.knownExploited === true ? { knownExploited: true } : {}),
      });
    }
    out.set(image, vulns);
  }
  return out;
}

export function parseIncidents(doc: unknown, what: string): IncidentMark[] {
  const list = Array.isArray(doc) ? doc : isJsonMap(doc) && Array.isArray(doc.incidents) ? doc.incidents : undefined;
  if (!list) throw new UsageError(`${what}: expected the JSON of \`kubeguard runtime analyze --format json\` ({"incidents": [...]})`);
  if (list.length > MAX_INCIDENTS) throw new UsageError(`${what}: more than ${MAX_INCIDENTS} incidents`);
  const out: IncidentMark[] = [];
  for (const i of list) {
    if (!isJsonMap(i) || !isJsonMap(i.workload) || !str(i.ruleId)) continue;
    const w = i.workload;
    const sev = typeof i.severity === 'string' && (SEVERITIES as readonly string[]).includes(i.severity) ? (i.severity as Severity) : 'medium';
    out.push({
      ruleId: str(i.ruleId)!,
      severity: sev,
      ...(typeof i.count === 'number' ? { count: i.count } : {}),
      workload: { ...(str(w.namespace) ? { namespace: str(w.namespace) } : {}), ...(str(w.kind) ? { kind: str(w.kind) } : {}), ...(str(w.name) ? { name: str(w.name) } : {}) },
    });
  }
  return out;
}
