/**
 * The rule contract. A rule is metadata plus a pure check(): it reads the object it is handed (and, for
 * cross-object rules, the read-only resource index) and reports on that object only.
 */
import type { ComplianceRefs, JsonPatchOp, KubeObject, Resource, Severity } from './model.js';
import type { ResourceIndex } from './resource-index.js';

export type RuleCategory =
  | 'pod-security'
  | 'workload'
  | 'rbac'
  | 'network'
  | 'secrets'
  | 'dockerfile'
  | 'cluster'
  | 'image'
  /** ValidatingAdmissionPolicies and custom CEL rules */
  | 'policy';

export interface ReportDescriptor<M extends string = string> {
  /** One of the rule's `messages` keys: typed, so a misspelt id does not compile. */
  messageId: M;
  /** JSON pointer to the offending field (the line of that field is reported). */
  path: string;
  /** Values substituted into the message template's {{placeholders}}. */
  data?: Record<string, string | number>;
  /** Secret-free supporting excerpt. */
  evidence?: string;
  fix?: JsonPatchOp[];
  /**
   * The severity of this finding when it differs from the rule's default: what is actually granted or exposed
   * (resourceNames, verbs, scope) decides. A severity set in config for the rule wins over it.
   */
  severity?: Severity;
  /** See Finding.problems: one problem seen from several objects is reported once. */
  problems?: string[];
  /** See Finding.lead. */
  lead?: boolean;
}

export interface RuleContext<M extends string = string> {
  /** A property, not a method, so that its parameter is checked strictly: a helper that reports 'x' accepts only a
   * context whose rule has a message 'x'. */
  report: (d: ReportDescriptor<M>) => void;
  /** Say that the rule could not judge this object (missing data). Never a pass. */
  couldNotEvaluate(reason: string): void;
  /**
   * Say that what the rule judges is outside the scanner's view by design (a managed control plane): listed in the
   * report like could-not-evaluate, but it does not make the scan incomplete, since no scan could ever see it.
   */
  notVisible(reason: string): void;
  /** Every resource of the scan, read-only, for cross-object rules. */
  readonly resources: ResourceIndex;
}

/** A rule's context without report(): what a helper needs that reads the scan or says "could not evaluate". */
export type RuleScope = Omit<RuleContext, 'report'>;

/** A JSON schema (subset validated by ajv) describing the options object of a rule. */
export type OptionsSchema = Record<string, unknown>;

export interface RuleMeta<M extends string = string> {
  id: string;
  aliases?: string[];
  title: string;
  description: string;
  category: RuleCategory;
  /** The default severity: the most serious case the rule reports (a report may grade itself lower, see severity). */
  severity: Severity;
  /** Why the rule's findings weigh what they do, and what lowers them: printed in its docs (a meta-test requires it). */
  severityReason?: string;
  /** Kinds the rule applies to; 'pod-bearing' means every kind with a pod template. */
  kinds: string[] | 'pod-bearing';
  /** Message templates by id; `{{name}}` placeholders are filled from the report's data. */
  messages: Readonly<Record<M, string>>;
  remediation: string;
  references?: string[];
  compliance?: ComplianceRefs;
  optionsSchema?: OptionsSchema;
  /**
   * The verdict depends on what else is in the scanned set, including what is absent (e.g. "no NetworkPolicy
   * selects this workload"). On a lone object — an admission request — it would be wrong, so the webhook skips it.
   */
  needsFullView?: boolean;
  defaultOptions?: Record<string, unknown>;
}

export interface Rule<O extends Record<string, unknown> = Record<string, unknown>, M extends string = string> extends RuleMeta<M> {
  check(ctx: RuleContext<M>, resource: Resource, options: O): void;
}

/**
 * A rule seen from the catalogue, the engine and the docs, which handle every rule alike: its options and message
 * ids erased. The one place where a rule's types are forgotten.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, string>;

/**
 * Defines a rule. The message ids are inferred from `messages`, so `ctx.report({ messageId })` accepts only those
 * (a misspelt id is a compile error); the options type comes from `check`'s third parameter.
 */
export function defineRule<O extends Record<string, unknown> = Record<string, unknown>, const M extends string = string>(rule: Rule<O, M>): Rule<O, M> {
  return rule;
}

/** Templates split once into literal text and placeholder names (odd indexes). */
const compiled = new Map<string, string[]>();

/** Substitutes {{name}} placeholders; an unknown placeholder stays visible rather than vanishing. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    compiled.set(template, parts);
  }
  if (parts.length === 1) return template;
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i];
    out += (k in data ? String(data[k]) : `{{${k}}}`) + parts[i + 1];
  }
  return out;
}

export type { KubeObject };
