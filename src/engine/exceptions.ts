/**
 * Governed exceptions. Two sources:
 * - the annotation `kubeguard.io/ignore: "<rule-id>[,<rule-id>]: <reason>"` on the object itself — the object's own
 *   word, so config decides where it counts (annotationVerdict): in files by default (a reviewed repository, like an
 *   inline lint-disable), for objects from a cluster (admission requests, live lists, snapshots) only in the
 *   namespaces and for the rules config names, and never for a critical finding. A refused annotation is reported;
 * - config `exceptions:` matching by rule, namespace, kind, name (globs) and label selector, with a required
 *   reason and optional owner, ticket and expiry. An expired exception stops applying and the report says so.
 */
import type { AppliedException, ExpiredException, Finding, RefusedException, Resource, Severity } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { globMatch } from '../core/glob.js';
import { matchesSelector } from '../core/label-selector.js';
import { namespaceOf } from '../core/ref.js';
import { expiryInstant as calendarExpiry } from '../core/datetime.js';
import type { AnnotationExceptionsConfig, AnnotationScope, ExceptionSpec } from './config.js';

export const IGNORE_ANNOTATION = 'kubeguard.io/ignore';

export interface AnnotationException {
  rules: string[];
  reason: string;
}

/** Parses the ignore annotation; undefined when absent, an error string when malformed. */
export function parseIgnoreAnnotation(value: string | undefined): AnnotationException | string | undefined {
  if (value === undefined) return undefined;
  const colon = value.indexOf(':');
  if (colon === -1) return `${IGNORE_ANNOTATION} needs "<rule-id>[,<rule-id>]: <reason>"; it has no reason and is not honoured`;
  const rules = value.slice(0, colon).split(',').map((s) => s.trim()).filter(Boolean);
  const reason = value.slice(colon + 1).trim();
  if (rules.length === 0 || reason === '') return `${IGNORE_ANNOTATION} needs at least one rule id and a reason; it is not honoured`;
  return { rules, reason };
}

/**
 * End of the expiry day (UTC) for a bare date, the instant itself for a date-time (core/datetime.ts). A text that
 * names no real day (config validation refuses it) counts as expired: an exception never outlives a bad date.
 */
export function expiryInstant(expires: string): number {
  return calendarExpiry(expires) ?? -Infinity;
}

const FILES_DEFAULT: Required<AnnotationScope> = { namespaces: ['*'], rules: ['*'] };
const LIVE_DEFAULT: Required<AnnotationScope> = { namespaces: [], rules: [] };

/** Whether an object's own annotation may suppress this finding; the reason when it may not. */
export function annotationVerdict(config: AnnotationExceptionsConfig | undefined, resource: Resource, rule: Rule, severity: Severity): string | undefined {
  if (severity === 'critical') return 'a critical finding is never suppressed by the object\'s own annotation; use a config exception (with a reason, owner and expiry)';
  const surface = resource.live ? 'live' : 'files';
  const defaults = resource.live ? LIVE_DEFAULT : FILES_DEFAULT;
  const scope = config?.[surface] ?? {};
  const namespaces = scope.namespaces ?? defaults.namespaces;
  const rules = scope.rules ?? defaults.rules;
  const where = resource.live ? 'objects from a cluster' : 'files';
  const ns = namespaceOf(resource.object) ?? '';
  if (!namespaces.some((g) => globMatch(g, ns))) return `annotations do not suppress findings of ${where} in namespace "${ns}" (config annotationExceptions.${surface}.namespaces)`;
  if (!ruleMatches(rules, rule)) return `annotations may not suppress ${rule.id} for ${where} (config annotationExceptions.${surface}.rules)`;
  return undefined;
}

function ruleMatches(patterns: string[], rule: Rule): boolean {
  return patterns.some((p) => p === '*' || p === rule.id || (rule.aliases ?? []).includes(p));
}

export function specMatches(spec: ExceptionSpec, rule: Rule, resource: Resource): boolean {
  if (!ruleMatches(spec.rules, rule)) return false;
  const ns = namespaceOf(resource.object) ?? '';
  if (spec.namespaces && !spec.namespaces.some((g) => globMatch(g, ns))) return false;
  if (spec.kinds && !spec.kinds.some((g) => globMatch(g, resource.ref.kind))) return false;
  if (spec.names && !spec.names.some((g) => globMatch(g, resource.ref.name))) return false;
  if (spec.selector && !matchesSelector(spec.selector, resource.object.metadata?.labels)) return false;
  return true;
}

export class ExceptionLedger {
  readonly suppressed: AppliedException[] = [];
  readonly refused: RefusedException[] = [];
  private readonly expiredCounts = new Map<ExceptionSpec, number>();

  constructor(
    private readonly specs: readonly ExceptionSpec[],
    private readonly now: Date,
    private readonly annotations?: AnnotationExceptionsConfig,
  ) {}

  /** True when the finding is suppressed (and records why). */
  suppress(finding: Finding, rule: Rule, resource: Resource, annotation: AnnotationException | undefined): boolean {
    if (annotation && ruleMatches(annotation.rules, rule)) {
      const refused = annotationVerdict(this.annotations, resource, rule, finding.severity);
      if (refused === undefined) {
        this.suppressed.push({ ruleId: rule.id, resource: finding.resource, path: finding.path, severity: finding.severity, reason: annotation.reason, source: 'annotation' });
        return true;
      }
      this.refused.push({ ruleId: rule.id, resource: finding.resource, reason: annotation.reason, refused });
    }
    for (const spec of this.specs) {
      if (!specMatches(spec, rule, resource)) continue;
      if (spec.expires !== undefined && expiryInstant(spec.expires) < this.now.getTime()) {
        this.expiredCounts.set(spec, (this.expiredCounts.get(spec) ?? 0) + 1);
        continue;
      }
      this.suppressed.push({
        ruleId: rule.id,
        resource: finding.resource,
        path: finding.path,
        severity: finding.severity,
        reason: spec.reason,
        source: 'config',
        ...(spec.owner && { owner: spec.owner }),
        ...(spec.ticket && { ticket: spec.ticket }),
        ...(spec.expires && { expires: spec.expires }),
      });
      return true;
    }
    return false;
  }

  /** Every expired exception in config, with how many findings it no longer hides. */
  expired(): ExpiredException[] {
    return this.specs
      .filter((s) => s.expires !== undefined && expiryInstant(s.expires) < this.now.getTime())
      .map((s) => ({
        rule: s.rules.join(','),
        reason: s.reason,
        expires: s.expires!,
        ...(s.owner && { owner: s.owner }),
        ...(s.ticket && { ticket: s.ticket }),
        findings: this.expiredCounts.get(s) ?? 0,
      }));
  }
}

/**
 * Config exceptions for findings made outside the rule engine (image vulnerabilities, whose "rule" is the
 * vulnerability id): the same matching, reasons and expiry as for rule findings.
 */
export function applyExceptions(
  findings: readonly Finding[],
  specs: readonly ExceptionSpec[],
  now: Date,
  aliasesOf: (ruleId: string) => readonly string[] = () => [],
): { findings: Finding[]; suppressed: AppliedException[]; expired: ExpiredException[] } {
  const ledger = new ExceptionLedger(specs, now);
  const kept: Finding[] = [];
  for (const f of findings) {
    const rule = { id: f.ruleId, aliases: [...aliasesOf(f.ruleId)] } as Rule;
    const resource: Resource = { ref: f.resource, object: { apiVersion: f.resource.apiVersion, kind: f.resource.kind, metadata: { name: f.resource.name, ...(f.resource.namespace && { namespace: f.resource.namespace }) } } };
    if (!ledger.suppress(f, rule, resource, undefined)) kept.push(f);
  }
  return { findings: kept, suppressed: ledger.suppressed, expired: ledger.expired() };
}
