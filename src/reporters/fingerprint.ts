import type { Finding } from '../core/model.js';
import { findingFingerprint } from '../core/fingerprint.js';
import { formatRef } from '../core/ref.js';

/** Stable across line moves: rule, object identity and field, not the line number (see core/fingerprint). */
export function fingerprint(f: Finding): string {
  return findingFingerprint(f.ruleId, f.resource, f.path);
}

export function where(f: Pick<Finding, 'location' | 'resource'>): string {
  if (!f.location) return formatRef(f.resource);
  return f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file;
}

/** "file:line" of an error or skip note (file alone without a line). */
export function noteWhere(n: { file?: string; line?: number }): string {
  return n.file ? `${n.file}${n.line ? ':' + n.line : ''}` : '';
}
