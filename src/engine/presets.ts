/**
 * Presets choose rules by their metadata, so a new rule joins the right presets without a list to edit:
 * - strict: every rule;
 * - recommended: every rule whose default severity is above info;
 * - pss-baseline / pss-restricted: the Pod Security Standards rules of that level (restricted includes baseline);
 * - every preset: the user's own rules (category policy: custom CEL rules, admission policies).
 *
 * A preset named after a standard gates like the standard: `--preset pss-restricted` fails exactly where
 * `kubeguard pss --level restricted` denies. The rules running the checks of that level (where a restricted check
 * replaces a baseline one, the restricted one) fail the run on any finding, whatever its severity; the replaced
 * baseline rules, enabled by that preset alone, never fail it (the standard does not apply them at that level).
 */
import type { Rule } from '../core/rule.js';
import { checksFor, type PssLevel } from '../analysis/pss/index.js';
import type { PresetName } from './config.js';

const STANDARD_LEVEL: Partial<Record<PresetName, PssLevel>> = { 'pss-baseline': 'baseline', 'pss-restricted': 'restricted' };

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

export function isStandardPreset(preset: PresetName): boolean {
  return STANDARD_LEVEL[preset] !== undefined;
}

/** Whether the rule runs one of the checks the standard preset's level applies, at the rule's policy version. */
export function gatesStandard(rule: Rule, preset: PresetName, options: Record<string, unknown>): boolean {
  const level = STANDARD_LEVEL[preset];
  const checks = rule.compliance?.pssChecks;
  if (!level || !checks?.length || !inPreset(rule, preset)) return false;
  const active = checksFor(level, typeof options.version === 'string' ? options.version : 'latest');
  return checks.every((c) => active.includes(c));
}
