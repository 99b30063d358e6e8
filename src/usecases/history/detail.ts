/**
 * What the history keeps of a finding beyond its identity, for people: where it was found (file:line), how to fix
 * it (remediation, JSON patch), the evidence, the standards it maps to and the findings merged into it. Kept from
 * the latest scan, bounded: a detail over 16 KiB keeps its location, remediation and evidence only.
 */
import type { ComplianceRefs, Finding, JsonPatchOp, RelatedFinding, SourceLocation } from '../../core/model.js';

export interface FindingDetail {
  location?: SourceLocation;
  remediation?: string;
  evidence?: string;
  fix?: JsonPatchOp[];
  compliance?: ComplianceRefs;
  namespaceNote?: string;
  related?: RelatedFinding[];
}

export const MAX_DETAIL = 16 * 1024;

export function detailJson(f: Finding): string | null {
  const full: FindingDetail = {
    ...(f.location && { location: f.location }),
    ...(f.remediation && { remediation: f.remediation }),
    ...(f.evidence && { evidence: f.evidence }),
    ...(f.fix?.length && { fix: f.fix }),
    ...(f.compliance && Object.keys(f.compliance).length > 0 && { compliance: f.compliance }),
    ...(f.namespaceNote && { namespaceNote: f.namespaceNote }),
    ...(f.related?.length && { related: f.related.slice(0, 50) }),
  };
  if (Object.keys(full).length === 0) return null;
  const text = JSON.stringify(full);
  if (text.length <= MAX_DETAIL) return text;
  const small: FindingDetail = { ...(f.location && { location: f.location }), ...(f.remediation && { remediation: f.remediation.slice(0, 4096) }), ...(f.evidence && { evidence: f.evidence.slice(0, 4096) }) };
  return Object.keys(small).length ? JSON.stringify(small) : null;
}

export function parseDetail(text: string | null): FindingDetail {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as FindingDetail) : {};
  } catch {
    return {};
  }
}
