/**
 * Custom rules written in CEL, with the same metadata, severity, enablement and exceptions as built-in rules:
 * from `customRules:` in kubeguard.yaml, or from policy files as `kind: Rule` (apiVersion kubeguard.io/v1alpha1,
 * metadata.name = id, spec = the same fields). Each becomes a Rule in the catalogue that scan(), the webhook and
 * `rules list` see. Expressions see `object` and `oldObject` (the previous object on UPDATE, else null) and use
 * the Kubernetes CEL environment; a validation that is not true reports a finding, one that errors makes the
 * object "could not evaluate" (never a pass).
 */
import type { KubeObject, Resource, Severity } from '../core/model.js';
import { isSeverity } from '../core/model.js';
import { defineRule, type Rule } from '../core/rule.js';
import { ConfigError } from '../core/errors.js';
import { kubernetesEnv } from '../analysis/cel/env.js';
import { isCelRuleObject } from './policy-kinds.js';
import { CelError } from '../analysis/cel/errors.js';
import type { Program } from '../analysis/cel/program.js';
import type { Activation } from '../analysis/cel/interpret.js';
import type { Value } from '../analysis/cel/values.js';

export interface CelRuleSpec {
  id: string;
  title?: string;
  description?: string;
  severity?: Severity;
  remediation?: string;
  /** Kinds the rule judges (as built-in rules declare them); `*` for every kind. */
  kinds: string[];
  /** Optional precondition: the rule judges only objects for which it is true. */
  match?: string;
  validations: Array<{ expression: string; message?: string; messageExpression?: string; path?: string }>;
}

/** A `kind: Rule` object as a spec (its name is the id). */
export function celRuleSpecOf(o: KubeObject): CelRuleSpec {
  return { ...((o as { spec?: object }).spec as Omit<CelRuleSpec, 'id'>), id: o.metadata?.name ?? '' };
}

class ObjectActivation implements Activation {
  constructor(private readonly r: Resource) {}
  get(n: string): Value | undefined {
    if (n === 'object') return this.r.object as Value;
    if (n === 'oldObject') return (this.r.previous ?? null) as Value;
    return undefined;
  }
}

function compile(expr: unknown, where: string, file?: string): Program {
  if (typeof expr !== 'string' || expr.trim() === '') throw new ConfigError(`${where}: an expression is required`, file);
  try {
    return kubernetesEnv().compile(expr);
  } catch (e) {
    throw new ConfigError(`${where}: ${e instanceof CelError ? e.message : String(e)}${e instanceof CelError && e.at !== undefined ? ` (at offset ${e.at})` : ''}`, file);
  }
}

/** Builds the rule; bad ids, severities or expressions are config errors (exit 2), reported with the rule's id. */
export function celRule(spec: CelRuleSpec, file?: string): Rule {
  const id = spec.id;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id ?? '')) throw new ConfigError(`custom rule id "${id}" must be kebab-case (lower-case letters, digits, '-')`, file);
  const where = `custom rule ${id}`;
  if (spec.severity !== undefined && !isSeverity(spec.severity)) throw new ConfigError(`${where}: severity "${String(spec.severity)}" is not one of info, low, medium, high, critical`, file);
  if (!Array.isArray(spec.kinds) || spec.kinds.length === 0) throw new ConfigError(`${where}: kinds (a list of kinds, or ["*"]) is required`, file);
  if (!Array.isArray(spec.validations) || spec.validations.length === 0) throw new ConfigError(`${where}: at least one validation is required`, file);
  const match = spec.match !== undefined ? compile(spec.match, `${where} match`, file) : undefined;
  const validations = spec.validations.map((v, i) => ({
    program: compile(v.expression, `${where} validations[${i}]`, file),
    message: v.message,
    messageProgram: v.messageExpression !== undefined ? compile(v.messageExpression, `${where} validations[${i}].messageExpression`, file) : undefined,
    path: typeof v.path === 'string' && (v.path === '' || v.path.startsWith('/')) ? v.path : '',
    expression: v.expression,
  }));
  return defineRule({
    id,
    title: spec.title ?? id,
    description: spec.description ?? spec.title ?? `Custom CEL rule ${id}`,
    category: 'policy',
    severity: spec.severity ?? 'medium',
    kinds: spec.kinds,
    messages: { violation: '{{message}}' },
    remediation: spec.remediation ?? '',
    check(ctx, resource: Resource) {
      const vars = new ObjectActivation(resource);
      try {
        if (match && match.eval(vars) !== true) return;
      } catch (e) {
        ctx.couldNotEvaluate(`match: ${e instanceof CelError ? e.message : 'evaluation failed'}`);
        return;
      }
      for (const v of validations) {
        let ok: Value;
        try {
          ok = v.program.eval(vars);
        } catch (e) {
          ctx.couldNotEvaluate(`${e instanceof CelError && e.kind === 'cost' ? 'cost limit' : 'evaluation error'}: ${e instanceof CelError ? e.message : 'failed'}`);
          continue;
        }
        if (ok === true) continue;
        let message = '';
        if (v.messageProgram) {
          try {
            const m = v.messageProgram.eval(vars);
            if (typeof m === 'string') message = m.trim();
          } catch {
            // falls back to message, as VAP messageExpression does
          }
        }
        message ||= v.message?.trim() || `failed expression: ${v.expression.trim()}`;
        ctx.report({ messageId: 'violation', path: v.path, data: { message } });
      }
    },
  });
}

/** The custom rules of a config and of policy objects, checked for clashing ids. */
export function celRules(config: { customRules?: CelRuleSpec[] }, policyObjects: readonly Resource[] = [], catalogIds: ReadonlySet<string> = new Set(), file?: string): Rule[] {
  const specs: Array<{ spec: CelRuleSpec; file?: string }> = [...(config.customRules ?? []).map((spec) => ({ spec, file })), ...policyObjects.filter((r) => isCelRuleObject(r.object)).map((r) => ({ spec: celRuleSpecOf(r.object), file: r.source?.file }))];
  const seen = new Set<string>();
  return specs.map(({ spec, file: f }) => {
    if (catalogIds.has(spec.id)) throw new ConfigError(`custom rule id "${spec.id}" is the id of a built-in rule`, f);
    if (seen.has(spec.id)) throw new ConfigError(`custom rule id "${spec.id}" is defined twice`, f);
    seen.add(spec.id);
    return celRule(spec, f);
  });
}
