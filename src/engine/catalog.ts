/** The rule catalogue: every rule folder, registered through the generated index. */
import type { AnyRule } from '../core/rule.js';
import { GENERATED_RULES } from '../generated/rules-index.js';

export const RULES: readonly AnyRule[] = GENERATED_RULES;

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.id === id) ?? RULES.find((r) => r.aliases?.includes(id));
}
