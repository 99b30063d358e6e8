/** Escalation paths as JSON: { "paths": [{ "from", "to", "steps": [{ subject, action, permission, via }] }] }. */
import type { EscalationPath } from '../escalation/model.js';

export function renderPathsJson(paths: readonly EscalationPath[]): string {
  return JSON.stringify({ paths }, null, 2) + '\n';
}
