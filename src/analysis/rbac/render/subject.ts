/** Display forms of subjects shared by the renderers. */
import type { SubjectKind } from '../types.js';

export function subjectText(s: { kind: SubjectKind; name: string; namespace?: string }): string {
  if (s.kind === 'ServiceAccount') return `sa:${s.namespace ?? ''}/${s.name}`;
  return `${s.kind === 'User' ? 'user' : 'group'}:${s.name}`;
}
