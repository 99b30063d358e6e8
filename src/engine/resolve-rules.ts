/** Config + rule catalogue → the rules to run, with their severity, options and admission mode. */
import { Ajv } from 'ajv';
import type { Severity } from '../core/model.js';
import { isSeverity } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { ConfigError } from '../core/errors.js';
import type { KubeguardConfig, PresetName, RuleMode, RuleSetting } from './config.js';
import { inPreset } from './presets.js';

export interface ResolvedRule {
  rule: Rule;
  severity: Severity;
  options: Record<string, unknown>;
  mode?: RuleMode;
}

const ajv = new Ajv({ allErrors: true, useDefaults: false });

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
    const rule = findRule(catalog, key);
    if (!rule) throw new ConfigError(`unknown rule "${key}" in config (see \`kubeguard rules list\`)`);
    if (typeof value === 'string' && value !== 'off' && value !== 'on' && !isSeverity(value)) {
      throw new ConfigError(`rule "${key}": "${value}" is neither off/on nor a severity`);
    }
    settings.set(rule.id, normaliseSetting(value));
  }
  const out: ResolvedRule[] = [];
  for (const rule of catalog) {
    const s = settings.get(rule.id);
    const enabled = s?.enabled ?? (s !== undefined && (s.severity !== undefined || s.options !== undefined || s.mode !== undefined) ? true : presets.some((p) => inPreset(rule, p)));
    if (!enabled) continue;
    const options = { ...(rule.defaultOptions ?? {}), ...(s?.options ?? {}) };
    if (rule.optionsSchema) {
      const validate = ajv.compile(rule.optionsSchema);
      if (!validate(options)) {
        throw new ConfigError(`rule "${rule.id}" options: ${ajv.errorsText(validate.errors)}`);
      }
    }
    out.push({ rule, severity: s?.severity ?? rule.severity, options, mode: s?.mode });
  }
  return out;
}
