/** Config + rule catalogue → the rules to run, with their severity, options and admission mode. */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import type { Severity } from '../core/model.js';
import { isSeverity } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { ConfigError } from '../core/errors.js';
import { schemaErrorsText } from '../core/schema-errors.js';
import { RULE_OPTIONS_VALIDATORS } from '../generated/validate-rule-options.js';
import type { KubeguardConfig, PresetName, RuleMode, RuleSetting } from './config.js';
import { gatesStandard, inPreset, isStandardPreset } from './presets.js';
import { unknownRuleText } from './rule-names.js';
import { isVulnerabilityRuleId } from '../analysis/vulns/findings.js';
import { applyImagePolicy } from './image-policy.js';

export interface ResolvedRule {
  rule: Rule;
  severity: Severity;
  /** The severity was set in config: it applies to every finding of the rule, whatever the rule grades. */
  severityFromConfig?: boolean;
  /**
   * How its findings decide the exit code when not by --fail-on: "any" for the rules a standard preset gates on
   * (any finding fails, as the standard denies), "never" for rules only a standard preset enabled and its level
   * does not apply (presets.ts).
   */
  fails?: 'any' | 'never';
  options: Record<string, unknown>;
  mode?: RuleMode;
}

/**
 * The validator of a rule's options: compiled ahead of time for the catalogue (scripts/gen-validators.ts, checked
 * for staleness by the meta-test); any other rule — a caller's own, even one reusing a catalogue id with another
 * schema — has its schema compiled here once, loading the ajv compiler only then.
 */
export function optionsValidator(rule: Pick<Rule, 'id' | 'optionsSchema'>): ValidateFunction {
  const generated = RULE_OPTIONS_VALIDATORS[rule.id];
  if (generated && generated.schema === JSON.stringify(rule.optionsSchema)) return generated.validate;
  let validate = compiledAtRunTime.get(rule);
  if (!validate) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    compiledAtRunTime.set(rule, (validate = new Ajv({ allErrors: true }).compile(rule.optionsSchema!)));
  }
  return validate;
}
const compiledAtRunTime = new WeakMap<Pick<Rule, 'id' | 'optionsSchema'>, ValidateFunction>();

function normaliseSetting(value: 'off' | 'on' | Severity | RuleSetting): RuleSetting {
  if (value === 'off') return { enabled: false };
  if (value === 'on') return { enabled: true };
  if (typeof value === 'string') return { enabled: true, severity: value };
  return value;
}

/** Finds a rule by id or alias. */
export function findRule(rules: readonly Rule[], idOrAlias: string): Rule | undefined {
  return rules.find((r) => r.id === idOrAlias) ?? rules.find((r) => r.aliases?.includes(idOrAlias));
}

export function resolveRules(catalog: readonly Rule[], config: KubeguardConfig): ResolvedRule[] {
  const presets: PresetName[] = Array.isArray(config.preset) ? config.preset : [config.preset ?? 'recommended'];
  const settings = new Map<string, RuleSetting>();
  for (const [key, value] of Object.entries(config.rules ?? {})) {
    if (isDynamicRuleId(key)) continue; // rules made from policies at scan time (vap:<name>) are resolved there
    const rule = findRule(catalog, key);
    if (!rule) throw new ConfigError(`rules: ${unknownRuleText(catalog, key)}`);
    if (typeof value === 'string' && value !== 'off' && value !== 'on' && !isSeverity(value)) {
      throw new ConfigError(`rule "${key}": "${value}" is neither off/on nor a severity`);
    }
    settings.set(rule.id, normaliseSetting(value));
  }
  applyImagePolicy(config, settings);
  (config.exceptions ?? []).forEach((x, i) => {
    for (const id of x.rules) {
      // "*", vulnerability ids (CVE-…) and admission image gates are matched too
      if (id === '*' || isVulnerabilityRuleId(id) || id.startsWith('image-gate/') || findRule(catalog, id)) continue;
      throw new ConfigError(`exceptions[${i}].rules: ${unknownRuleText(catalog, id)}`);
    }
  });
  const out: ResolvedRule[] = [];
  for (const rule of catalog) {
    const s = settings.get(rule.id);
    const enabled = s?.enabled ?? (s !== undefined && (s.severity !== undefined || s.options !== undefined || s.mode !== undefined) ? true : presets.some((p) => inPreset(rule, p)));
    if (!enabled) continue;
    const options = { ...(rule.defaultOptions ?? {}), ...(s?.options ?? {}) };
    if (rule.optionsSchema) {
      const validate = optionsValidator(rule);
      if (!validate(options)) throw new ConfigError(`rule "${rule.id}" options: ${schemaErrorsText(validate.errors, 'options')}`);
    }
    const standards = presets.filter(isStandardPreset);
    const gate = standards.some((p) => gatesStandard(rule, p, options));
    const onlyByStandard = s === undefined && !presets.some((p) => !isStandardPreset(p) && inPreset(rule, p));
    const fails = gate ? ('any' as const) : onlyByStandard && standards.length ? ('never' as const) : undefined;
    out.push({ rule, severity: s?.severity ?? rule.severity, ...(s?.severity ? { severityFromConfig: true } : {}), ...(fails ? { fails } : {}), options, mode: s?.mode });
  }
  return out;
}

/** Ids of rules built from the scanned policies rather than the catalogue. */
export function isDynamicRuleId(id: string): boolean {
  return id.startsWith('vap:');
}

/** The config's enablement and severity for a dynamic rule (default: enabled, the rule's own severity). */
export function dynamicRuleSetting(config: KubeguardConfig, id: string): { enabled: boolean; severity?: Severity } {
  const v = config.rules?.[id];
  if (v === undefined) return { enabled: true };
  if (typeof v === 'string' && v !== 'off' && v !== 'on' && !isSeverity(v)) throw new ConfigError(`rule "${id}": "${v}" is neither off/on nor a severity`);
  const s = normaliseSetting(v);
  return { enabled: s.enabled ?? true, severity: s.severity };
}
