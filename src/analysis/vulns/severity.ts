/**
 * Severity of an advisory. CVSS vectors are scored with ae-cvss-calculator (the FIRST v2/v3.0/v3.1/v4.0
 * equations) and mapped to the CVSS qualitative scale (v3.1 spec §5, same bands in v4.0): 0 none (→ info),
 * 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10.0 critical. Preference: CVSS v4 > v3.1/v3.0 > v2 (the newest
 * standard the record carries); without any vector, the database's own label (GHSA `database_specific.severity`
 * LOW/MODERATE/HIGH/CRITICAL, Ubuntu priority) is used; otherwise the severity is "unknown".
 */
import cvss from 'ae-cvss-calculator';
import type { Severity } from '../../core/model.js';
import type { OsvRecord, OsvSeverity } from './osv.js';
import { memoize } from '../../core/bounded-map.js';

export interface SeverityAssessment {
  severity: Severity | 'unknown';
  score?: number;
  vector?: string;
  source: 'CVSS_V4' | 'CVSS_V3' | 'CVSS_V2' | 'database' | 'none';
}

export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** Base score of a CVSS vector, or undefined when the vector is not a complete, valid one. */
export const cvssBaseScore = memoize(computeBaseScore, 5_000);

function computeBaseScore(vector: string): number | undefined {
  try {
    const v = vector.trim();
    const calc = v.startsWith('CVSS:4.0/')
      ? new cvss.Cvss4P0(v)
      : v.startsWith('CVSS:3.1/')
        ? new cvss.Cvss3P1(v)
        : v.startsWith('CVSS:3.0/')
          ? new cvss.Cvss3P0(v)
          : /^(\(?)AV:[LAN]\/AC:[HML]\/Au:[MSN]/.test(v)
            ? new cvss.Cvss2(v.replace(/^\(|\)$/g, ''))
            : undefined;
    const base = calc?.calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) ? base : undefined;
  } catch {
    return undefined;
  }
}

const RANK: Record<OsvSeverity['type'], number> = { CVSS_V4: 3, CVSS_V3: 2, CVSS_V2: 1 };

const LABELS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'info',
  unimportant: 'info',
};

function labelSeverity(label: unknown): Severity | undefined {
  return typeof label === 'string' ? LABELS[label.trim().toLowerCase()] : undefined;
}

/** Severity of one record (top-level `severity`, then per-affected `severity`, then database labels). */
export function assessSeverity(record: OsvRecord): SeverityAssessment {
  const entries = [...(record.severity ?? []), ...(record.affected ?? []).flatMap((a) => a.severity ?? [])];
  const vectors = entries.filter((s) => RANK[s.type] !== undefined).sort((a, b) => RANK[b.type] - RANK[a.type]);
  for (const s of vectors) {
    const score = cvssBaseScore(s.score);
    if (score !== undefined) {
      return { severity: severityFromScore(score), score, vector: s.score, source: s.type as SeverityAssessment['source'] };
    }
  }
  const labels = [
    record.database_specific?.severity,
    ...entries.filter((s) => s.type === 'Ubuntu').map((s) => s.score),
    ...(record.affected ?? []).map((a) => a.ecosystem_specific?.severity ?? a.database_specific?.severity),
  ];
  for (const l of labels) {
    const sev = labelSeverity(l);
    if (sev) return { severity: sev, source: 'database' };
  }
  return { severity: 'unknown', source: 'none' };
}

const ORDER: (Severity | 'unknown')[] = ['unknown', 'info', 'low', 'medium', 'high', 'critical'];

/** The higher of two assessments (by severity, then score). */
export function maxSeverity(a: SeverityAssessment, b: SeverityAssessment): SeverityAssessment {
  const d = ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity);
  if (d !== 0) return d > 0 ? a : b;
  return (b.score ?? -1) > (a.score ?? -1) ? b : a;
}
