/**
 * Decision → AdmissionResponse. Denials name each enforced rule and its field (JSON pointer) in
 * status.message; warn-mode violations become `warnings` (the API server shows them to kubectl users; it may
 * truncate each past 256 characters and drops long lists, so we cap both); audit-mode violations go to
 * `auditAnnotations` (the API server prefixes the key with the webhook name).
 */
import { formatRef } from '../core/ref.js';
import type { Decision, Violation } from '../usecases/admission/decide.js';
import type { Mutation } from '../usecases/admission/mutation.js';
import type { AdmissionResponse } from '../usecases/admission/review.js';

export const MAX_WARNING_CHARS = 256;
export const MAX_WARNINGS = 20;
const MAX_MESSAGE_ITEMS = 20;
const MAX_AUDIT_CHARS = 4096;

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

export function describeViolation(v: Violation): string {
  return `[${v.ruleId}] ${v.path || '/'}: ${v.message}`;
}

export function toResponse(uid: string, decision: Decision): AdmissionResponse {
  const response: AdmissionResponse = { uid, allowed: decision.allowed };
  const enforced = decision.violations.filter((v) => v.mode === 'enforce');
  const warned = decision.violations.filter((v) => v.mode === 'warn');
  const audited = decision.violations.filter((v) => v.mode === 'audit');
  if (!decision.allowed) {
    const what = decision.resource ? formatRef(decision.resource.ref) : 'object';
    const items = enforced.slice(0, MAX_MESSAGE_ITEMS).map(describeViolation);
    if (enforced.length > MAX_MESSAGE_ITEMS) items.push(`…and ${enforced.length - MAX_MESSAGE_ITEMS} more`);
    response.status = {
      code: 403,
      reason: 'Forbidden',
      message: `kubeguard denied ${what}: ${enforced.length} violation${enforced.length === 1 ? '' : 's'}: ${items.join('; ')}`,
    };
  }
  const warnings = [...warned.map(describeViolation), ...decision.notes.map((n) => `kubeguard: ${n}`)];
  if (warnings.length > 0) {
    const capped = warnings.slice(0, MAX_WARNINGS).map((w) => clip(w, MAX_WARNING_CHARS));
    if (warnings.length > MAX_WARNINGS) capped.push(`kubeguard: …and ${warnings.length - MAX_WARNINGS} more warnings`);
    response.warnings = capped;
  }
  if (audited.length > 0) {
    response.auditAnnotations = { 'audit-violations': clip(audited.map((v) => `${v.ruleId}@${v.path || '/'}`).join(','), MAX_AUDIT_CHARS) };
  }
  return response;
}

/** Mutation → AdmissionResponse: always admitted, with the JSON Patch when there is one and the notes as warnings. */
export function toMutateResponse(uid: string, m: Mutation): AdmissionResponse {
  const response: AdmissionResponse = { uid, allowed: true };
  if (m.notes.length > 0) response.warnings = m.notes.slice(0, MAX_WARNINGS).map((n) => clip(`kubeguard: ${n}`, MAX_WARNING_CHARS));
  if (m.ops.length === 0) return response;
  return { ...response, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(m.ops)).toString('base64') };
}
