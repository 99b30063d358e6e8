/**
 * What the store keeps of an OSV record: everything matching and reporting read (id, aliases, upstream,
 * related, modified, published, withdrawn, summary, severity, affected packages with ranges, versions and
 * severity labels, up to 10 references, the database severity label), minus the long prose (`details` is cut
 * to its first paragraph, at most 500 characters, and only kept when there is no summary) and
 * database-specific extras. This keeps lookups and JSON parsing cheap; the OSV export stays the full source.
 */
import type { OsvAffected, OsvRecord } from '../../analysis/vulns/osv.js';

function severityOnly(x: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return x && x.severity !== undefined ? { severity: x.severity } : undefined;
}

function compactAffected(a: OsvAffected): OsvAffected {
  const out: OsvAffected = { package: a.package };
  if (a.ranges) out.ranges = a.ranges.filter((r) => r.type !== 'GIT').map((r) => ({ type: r.type, events: r.events }));
  if (a.versions) out.versions = a.versions;
  if (a.severity) out.severity = a.severity;
  const es = severityOnly(a.ecosystem_specific);
  if (es) out.ecosystem_specific = es;
  const ds = severityOnly(a.database_specific);
  if (ds) out.database_specific = ds;
  return out;
}

export function compactRecord(r: OsvRecord): OsvRecord {
  const out: OsvRecord = { id: r.id };
  if (r.modified) out.modified = r.modified;
  if (r.published) out.published = r.published;
  if (r.withdrawn) out.withdrawn = r.withdrawn;
  if (r.aliases?.length) out.aliases = r.aliases;
  if (r.related?.length) out.related = r.related;
  if (r.upstream?.length) out.upstream = r.upstream;
  if (r.summary) out.summary = r.summary;
  else if (r.details) out.details = r.details.trim().split(/\n\s*\n/)[0].slice(0, 500);
  if (r.severity?.length) out.severity = r.severity;
  if (r.affected) out.affected = r.affected.map(compactAffected);
  if (r.references?.length) out.references = r.references.slice(0, 10).map((x) => ({ type: x.type, url: x.url }));
  const ds = severityOnly(r.database_specific);
  if (ds) out.database_specific = ds;
  return out;
}
