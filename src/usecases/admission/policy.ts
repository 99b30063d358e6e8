/**
 * Config → what the webhook enforces. Built once at start-up (and on config reload), so a request only runs the
 * engine. The rules, their severities, options and exceptions are exactly those `kubeguard scan` resolves from
 * the same config; admission adds only *modes* on top.
 *
 * Mode of a finding, first match wins:
 *   1. the first `admission.namespaces` entry whose namespaces match (and whose `rules`, if given, name the rule);
 *   2. the rule's own `rules.<id>.mode`;
 *   3. enforce when the finding's severity is at or above `admission.enforceAtOrAbove` (default: `failOn`,
 *      else high), warn below. Image gates default to `admission.images.mode`, else enforce.
 */
import type { Resource, Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import { globMatch } from '../../core/glob.js';
import type { Rule } from '../../core/rule.js';
import type { AnnotationExceptionsConfig, ExceptionSpec, KubeguardConfig, RuleMode } from '../../engine/config.js';
import type { ResolvedRule } from '../../engine/resolve-rules.js';
import { dynamicRuleSetting, findRule, resolveRules } from '../../engine/resolve-rules.js';
import { vapRules } from '../../engine/vap-rules.js';
import { celRules } from '../../engine/cel-rules.js';
import type { AdmissionConfig, FailureMode } from './config.js';
import { DEFAULT_BUDGET_MS, DEFAULT_MAX_BODY_BYTES } from './config.js';
import { parseAdmissionConfig } from './schema.js';
import type { ImageGate } from './gates/types.js';
import { GATE_RULE_PREFIX } from './gates/types.js';
import type { GateProviders } from './gates/from-config.js';
import { gatesFromConfig } from './gates/from-config.js';
import type { ResolveDigest } from './pin-digests.js';
import { ConfigError } from '../../core/errors.js';

export interface AdmissionPolicy {
  rules: readonly ResolvedRule[];
  exceptions: readonly ExceptionSpec[];
  /** Where an object's own kubeguard.io/ignore annotation counts: for admitted objects, `live` (default nowhere). */
  annotationExceptions?: AnnotationExceptionsConfig;
  settings: AdmissionConfig;
  enforceAtOrAbove: Severity;
  failureMode: FailureMode;
  budgetMs: number;
  maxBodyBytes: number;
  gates: readonly ImageGate[];
  /** Present when `mutate.pinDigests` is on. */
  resolveDigest?: ResolveDigest;
  /** Mode of a rule (or `image-gate/<name>`) finding in a namespace. */
  modeFor(ruleId: string, severity: Severity | undefined, namespace: string | undefined): RuleMode;
}

function ruleNamed(patterns: readonly string[], id: string, aliases: readonly string[]): boolean {
  return patterns.some((p) => p === '*' || p === id || aliases.includes(p));
}

export interface PolicyInput {
  config: KubeguardConfig;
  catalog: readonly Rule[];
  /** Functions the signature and scan-result gates call (cosign verification, vulnerability results). */
  providers?: GateProviders;
  /** Extra gates beyond those `admission.images` configures. */
  extraGates?: readonly ImageGate[];
  file?: string;
  /** Objects read from `admission.policies` (ValidatingAdmissionPolicies, bindings, params). */
  policyObjects?: readonly Resource[];
}

export function buildPolicy(input: PolicyInput): AdmissionPolicy {
  const { config } = input;
  const settings = parseAdmissionConfig(config.admission, input.file);
  const catalog = [...input.catalog, ...celRules(config, input.policyObjects ?? [], new Set(input.catalog.map((r) => r.id)), input.file)];
  const skip = new Set<string>();
  for (const id of settings.skipRules ?? []) {
    const rule = findRule(catalog, id);
    if (!rule) throw new ConfigError(`admission.skipRules: unknown rule "${id}" (see \`kubeguard rules list\`)`, input.file);
    skip.add(rule.id);
  }
  // Rules that judge an object against the whole scanned set cannot judge a lone admission request.
  const rules = [
    ...resolveRules(catalog, config).filter((r) => !skip.has(r.rule.id) && !r.rule.needsFullView),
    ...vapRules([], input.policyObjects ?? [], (id) => dynamicRuleSetting(config, id)).rules,
  ];
  const byId = new Map(rules.map((r) => [r.rule.id, r]));
  const enforceAtOrAbove = settings.enforceAtOrAbove ?? config.failOn ?? 'high';
  const gateMode: RuleMode = settings.images?.mode ?? 'enforce';
  const namespaceModes = settings.namespaces ?? [];

  function modeFor(ruleId: string, severity: Severity | undefined, namespace: string | undefined): RuleMode {
    const resolved = byId.get(ruleId);
    const aliases = resolved?.rule.aliases ?? [];
    const ns = namespace ?? '';
    for (const entry of namespaceModes) {
      if (!entry.namespaces.some((g) => globMatch(g, ns))) continue;
      if (entry.rules && !ruleNamed(entry.rules, ruleId, aliases)) continue;
      return entry.mode;
    }
    if (ruleId.startsWith(GATE_RULE_PREFIX)) return gateMode;
    if (resolved?.mode) return resolved.mode;
    const sev = severity ?? resolved?.severity ?? 'info';
    return severityRank(sev) >= severityRank(enforceAtOrAbove) ? 'enforce' : 'warn';
  }

  if (settings.mutate?.pinDigests && !input.providers?.resolveDigest) throw new ConfigError('admission.mutate.pinDigests is on but no digest resolver is available', input.file);
  return {
    ...(settings.mutate?.pinDigests && input.providers?.resolveDigest && { resolveDigest: input.providers.resolveDigest }),
    rules,
    exceptions: config.exceptions ?? [],
    ...(config.annotationExceptions && { annotationExceptions: config.annotationExceptions }),
    settings,
    enforceAtOrAbove,
    failureMode: settings.failureMode ?? 'deny',
    budgetMs: settings.budgetMs ?? DEFAULT_BUDGET_MS,
    maxBodyBytes: settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    gates: [...gatesFromConfig(settings.images, input.providers), ...(input.extraGates ?? [])],
    modeFor,
  };
}
