/** The rule catalogue: every rule folder, registered through the generated index. */
import type { Rule } from '../core/rule.js';
import { GENERATED_RULES } from '../generated/rules-index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES: readonly Rule<any>[] = GENERATED_RULES;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ruleById(id: string): Rule<any> | undefined {
  return RULES.find((r) => r.id === id) ?? RULES.find((r) => r.aliases?.includes(id));
}
