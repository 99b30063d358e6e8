/**
 * Presets choose rules by their metadata, so a new rule joins the right presets without a list to edit:
 * - strict: every rule;
 * - recommended: every rule whose default severity is above info;
 * - pss-baseline / pss-restricted: the Pod Security Standards rules of that level (restricted includes baseline);
 * - every preset: the user's own rules (category policy: custom CEL rules, admission policies).
 */
import type { Rule } from '../core/rule.js';
import type { PresetName } from './config.js';

export function inPreset(rule: Rule, preset: PresetName): boolean {
  // custom CEL rules and admission policies are the user's own: every preset runs them
  if (rule.category === 'policy') return true;
  const pss = rule.compliance?.pss ?? [];
  const isPssRule = rule.category === 'pod-security';
  switch (preset) {
    case 'strict':
      return true;
    case 'recommended':
      return rule.severity !== 'info';
    case 'pss-baseline':
      return isPssRule && pss.includes('baseline');
    case 'pss-restricted':
      return isPssRule && (pss.includes('baseline') || pss.includes('restricted'));
  }
}
