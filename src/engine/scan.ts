/**
 * scan(resources, options) → ScanReport. The same function serves CI files, admission requests and live clusters.
 * Rules run over a read-only context; a crashing rule is recorded in errors and never aborts the scan.
 */
import type { Finding, JsonPatchOp, NotEvaluated, Resource, ScanError, ScanReport, SkipNote, SourceLocation } from '../core/model.js';
import type { ReportDescriptor, RuleContext } from '../core/rule.js';
import { formatMessage } from '../core/rule.js';
import { buildReport } from './report.js';
import { ResourceIndex } from '../core/resource-index.js';
import { isPodBearing } from '../core/podspec.js';
import { errorMessage } from '../core/errors.js';
import type { AnnotationExceptionsConfig, ExceptionSpec } from './config.js';
import type { ResolvedRule } from './resolve-rules.js';
import { ExceptionLedger, IGNORE_ANNOTATION, parseIgnoreAnnotation } from './exceptions.js';
import type { AnnotationException } from './exceptions.js';
import { isBuiltinApiVersion } from './known-kinds.js';
import { ownedReplicas } from './owned.js';

export interface ScanOptions {
  rules: readonly ResolvedRule[];
  exceptions?: readonly ExceptionSpec[];
  /** Where objects' own kubeguard.io/ignore annotations count (default: files yes, objects from a cluster no). */
  annotationExceptions?: AnnotationExceptionsConfig;
  /** The clock, passed in: exceptions expire against it. */
  now: Date;
  /** Errors and notes from loading, carried into the report. */
  errors?: ScanError[];
  skipped?: SkipNote[];
  /** Scopes that could not be evaluated before rules ran (e.g. kinds the cluster forbade listing). */
  notEvaluated?: NotEvaluated[];
}

interface RulePlan {
  byKind: Map<string, ResolvedRule[]>;
  podBearing: ResolvedRule[];
  /** rules with kinds ['*'] (admission policies, which match by their own resource rules) */
  anyKind: ResolvedRule[];
}

/** Plans by rule list: a server scanning one object per request with the same rules plans once. */
const plans = new WeakMap<readonly ResolvedRule[], RulePlan>();

function plan(rules: readonly ResolvedRule[]): RulePlan {
  let p = plans.get(rules);
  if (!p) plans.set(rules, (p = buildPlan(rules)));
  return p;
}

function buildPlan(rules: readonly ResolvedRule[]): RulePlan {
  const byKind = new Map<string, ResolvedRule[]>();
  const podBearing: ResolvedRule[] = [];
  const anyKind: ResolvedRule[] = [];
  for (const r of rules) {
    if (r.rule.kinds === 'pod-bearing') podBearing.push(r);
    else if (r.rule.kinds.includes('*')) anyKind.push(r);
    else for (const k of r.rule.kinds) (byKind.get(k) ?? byKind.set(k, []).get(k)!).push(r);
  }
  return { byKind, podBearing, anyKind };
}

const NONE_OWNED: ReadonlySet<Resource> = new Set();

export function scan(resources: readonly Resource[], options: ScanOptions): ScanReport {
  const index = new ResourceIndex(resources);
  const { byKind, podBearing, anyKind } = plan(options.rules);
  const ledger = new ExceptionLedger(options.exceptions ?? [], options.now, options.annotationExceptions);
  const findings: Finding[] = [];
  const errors: ScanError[] = [...(options.errors ?? [])];
  const skipped: SkipNote[] = [...(options.skipped ?? [])];
  const notEvaluated: NotEvaluated[] = [...(options.notEvaluated ?? [])];
  const intern = new Interner();

  // One context for the whole scan, pointed at the current rule and resource: no closure per rule × object.
  let resolved: ResolvedRule = options.rules[0];
  let resource: Resource = resources[0];
  let annotation: AnnotationException | undefined;
  const ctx: RuleContext = {
    resources: index,
    report(d: ReportDescriptor) {
      const finding = toFinding(d, resolved, resource, intern);
      if (!ledger.suppress(finding, resolved.rule, resource, annotation)) findings.push(finding);
    },
    couldNotEvaluate(reason: string) {
      notEvaluated.push({ ruleId: resolved.rule.id, resource: resource.ref, reason });
    },
    notVisible(reason: string) {
      notEvaluated.push({ ruleId: resolved.rule.id, resource: resource.ref, reason, notVisible: true });
    },
  };

  const owned = podBearing.length && resources.length > 1 ? ownedReplicas(index) : NONE_OWNED;
  for (const r of resources) {
    resource = r;
    const kindRules = byKind.get(r.ref.kind);
    const podRules = isPodBearing(r.object) && !owned.has(r) ? podBearing : undefined;
    if (!kindRules && !podRules?.length) {
      if (!isBuiltinApiVersion(r.ref.apiVersion) && !anyKind.length) {
        notEvaluated.push({ resource: r.ref, reason: `kind ${r.ref.kind} (${r.ref.apiVersion}) is not known to any rule and carries no pod template` });
      }
      if (!anyKind.length) continue;
    }
    const parsed = parseIgnoreAnnotation(r.object.metadata?.annotations?.[IGNORE_ANNOTATION]);
    if (typeof parsed === 'string') skipped.push({ file: r.source?.file ?? '', line: r.source?.line, reason: parsed });
    annotation = typeof parsed === 'object' ? parsed : undefined;
    if (kindRules) for (const rr of kindRules) runRule(rr);
    if (podRules) for (const rr of podRules) runRule(rr);
    for (const rr of anyKind) runRule(rr);
  }

  function runRule(rr: ResolvedRule): void {
    resolved = rr;
    try {
      rr.rule.check(ctx, resource, rr.options);
    } catch (e) {
      errors.push({ kind: 'rule', ruleId: rr.rule.id, resource: resource.ref, file: resource.source?.file, message: `rule ${rr.rule.id} crashed: ${errorMessage(e)}` });
    }
  }

  return buildReport({ resources: resources.length, findings, errors, notEvaluated, skipped, suppressed: ledger.suppressed, expiredExceptions: ledger.expired(), refusedExceptions: ledger.refused });
}

/**
 * One copy of each message, path and fix text in a scan: the same rule on thousands of alike objects says the same
 * thing at the same pointer, and a copy each would make findings the largest part of a scan's memory.
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly fixes = new Map<string, JsonPatchOp[]>();
  private last: SourceLocation = { file: '' };

  string(s: string): string {
    if (s.length > 256) return s;
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  /**
   * Findings of several rules on one line share its location object: those of one object arrive together, and
   * rules on one container mostly point at the same line (a map of every line cost more than the objects it saved).
   */
  location(file: string, line: number | undefined): SourceLocation {
    const last = this.last;
    if (last.line === line && last.file === file) return last;
    return (this.last = line === undefined ? { file } : { file, line });
  }

  fix(ops: JsonPatchOp[]): JsonPatchOp[] {
    const key = JSON.stringify(ops);
    if (key.length > 512) return ops;
    const known = this.fixes.get(key);
    if (known !== undefined) return known;
    this.fixes.set(key, ops);
    return ops;
  }
}

function toFinding(d: ReportDescriptor, resolved: ResolvedRule, resource: Resource, intern: Interner): Finding {
  const { rule } = resolved;
  const template = rule.messages[d.messageId];
  const message = template === undefined ? `${rule.title} (unknown messageId ${d.messageId})` : formatMessage(template, d.data);
  const finding: Finding = {
    ruleId: rule.id,
    severity: d.severity === undefined || resolved.severityFromConfig ? resolved.severity : d.severity,
    message: intern.string(message),
    resource: resource.ref,
    path: intern.string(d.path),
    remediation: rule.remediation,
  };
  if (rule.compliance) finding.compliance = rule.compliance;
  if (resource.source) {
    // a pointer to a field the object lacks is located at its nearest ancestor present in the file
    const line = resource.source.locate?.(d.path) ?? resource.source.line;
    finding.location = intern.location(resource.source.file, line);
  }
  if (d.evidence !== undefined) finding.evidence = d.evidence;
  if (d.fix) finding.fix = intern.fix(d.fix);
  if (resource.namespaceNote) finding.namespaceNote = resource.namespaceNote;
  if (d.problems?.length) finding.problems = d.problems;
  if (d.lead) finding.lead = true;
  return finding;
}
