/** pssReport: one row per pod-bearing object (Pod, workload templates, CronJob job templates) for `kubeguard pss`. */
import type { Resource } from '../../core/model.js';
import { podTemplateOf } from '../../core/podspec.js';
import { evaluatePod } from './evaluate.js';
import type { PssLevel } from './types.js';

export interface PssReportRow {
  file?: string;
  /** Line of the object (or of its pod spec when the source can locate it). */
  line?: number;
  kind: string;
  namespace?: string;
  name: string;
  allowed: boolean;
  violations: { check: string; message: string; paths: string[] }[];
}

export function pssReport(resources: readonly Resource[], level: PssLevel, version?: string): PssReportRow[] {
  const rows: PssReportRow[] = [];
  for (const r of resources) {
    const t = podTemplateOf(r.object);
    if (!t) continue;
    const result = evaluatePod(t.metadata, t.spec, { level, version, specPath: t.specPath, metadataPath: t.metadataPath });
    const row: PssReportRow = {
      kind: r.ref.kind,
      name: r.ref.name,
      allowed: result.allowed,
      violations: result.violations.map((v) => ({ check: v.check, message: v.message, paths: v.paths })),
    };
    if (r.source?.file !== undefined) row.file = r.source.file;
    const line = r.source?.line;
    if (line !== undefined) row.line = line;
    if (r.ref.namespace !== undefined) row.namespace = r.ref.namespace;
    rows.push(row);
  }
  return rows;
}

export function pssSummary(rows: readonly PssReportRow[]): { objects: number; allowed: number; denied: number; byCheck: Record<string, number> } {
  const byCheck: Record<string, number> = {};
  for (const r of rows) for (const v of r.violations) byCheck[v.check] = (byCheck[v.check] ?? 0) + 1;
  const allowed = rows.filter((r) => r.allowed).length;
  return { objects: rows.length, allowed, denied: rows.length - allowed, byCheck };
}
