/**
 * Evaluates ValidatingAdmissionPolicies and their bindings against one admission request, as the API server's
 * validating policy plugin does (k8s.io/apiserver/pkg/admission/plugin/policy/validating: dispatcher.go,
 * validator.go; generic.CollectParams): match constraints, binding match, params (name or selector,
 * parameterNotFoundAction), matchConditions, variables (lazy, cached), validations with message /
 * messageExpression / reason, auditAnnotations, failurePolicy and validationActions, with the runtime cost
 * budget (RuntimeCELCostBudget per policy evaluation, PerCallLimit per expression).
 */
import type { KubeObject } from '../../../core/model.js';
import type { LabelSelector } from '../../../core/label-selector.js';
import { CelCostError, CelError } from '../errors.js';
import type { Activation, LazyMap } from '../interpret.js';
import type { CelEnvironment, CostBudget } from '../program.js';
import type { Value } from '../values.js';
import { matchResources, type NamespaceLabels } from './match.js';
import { CelAuthorizer, type Authorize } from '../k8s/authz.js';
import type { AdmissionAttributes, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, ValidationAction } from './types.js';

/** Kubernetes' per-evaluation runtime cost budget (celconfig.RuntimeCELCostBudget). */
export const RUNTIME_COST_BUDGET = 10_000_000;
/** celconfig.MaxEvaluatedMessageExpressionSizeBytes */
const MAX_MESSAGE_BYTES = 5 * 1024;
const MAX_AUDIT_VALUE = 10 * 1024;

/** What the evaluation needs from the world beyond the request. */
export interface VapContext {
  env: CelEnvironment;
  /** labels of a namespace, or 'unknown' */
  namespaceLabels(name: string): NamespaceLabels;
  /** the Namespace object (for namespaceObject), or undefined when not known */
  namespaceObject(name: string): KubeObject | undefined;
  /**
   * Param objects of a kind: by name or by label selector, in a namespace (undefined = cluster-scoped kind).
   * 'unknown' when the params cannot be known (e.g. scanning files without them).
   */
  params(kind: { apiVersion?: string; kind?: string }, ref: { name?: string; selector?: LabelSelector }, namespace: string | undefined): KubeObject[] | 'unknown';
  /** whether the param kind is namespaced (built-in kinds are known; CRDs default to namespaced) */
  paramNamespaced(kind: { apiVersion?: string; kind?: string }): boolean;
  /** answers `authorizer` checks (kubeguard: its RBAC analysis); without it, expressions using `authorizer` error */
  authorize?: Authorize;
}

export interface VapDecision {
  policy: string;
  binding?: string;
  /** the binding's validationActions this decision is subject to */
  actions: ValidationAction[];
  /** a validation that failed, or an error turned into a denial by failurePolicy: Fail */
  evaluation: 'deny' | 'error';
  message: string;
  reason: string;
  /** index of the validation (deny) */
  validation?: number;
  /** the error was a cost-limit error */
  cost?: boolean;
}

export interface VapOutcome {
  decisions: VapDecision[];
  /** errors swallowed by failurePolicy: Ignore (the request was admitted as far as they go) */
  ignored: Array<{ policy: string; binding?: string; message: string }>;
  /** `<policy>/<key>` → value */
  auditAnnotations: Record<string, string>;
  /** policies that could not be judged for lack of data */
  notEvaluated: Array<{ policy: string; binding?: string; reason: string }>;
  /** policy/binding pairs that matched the request and were evaluated */
  applied: Array<{ policy: string; binding: string }>;
}

function failurePolicy(p: ValidatingAdmissionPolicy): 'Fail' | 'Ignore' {
  return p.spec?.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail';
}

const requestValues = new WeakMap<AdmissionAttributes, Record<string, unknown>>();

/** The AdmissionRequest as CEL sees it (cel.CreateAdmissionRequest); built once per request. */
export function requestValue(a: AdmissionAttributes): Record<string, unknown> {
  let v = requestValues.get(a);
  if (!v) requestValues.set(a, (v = buildRequestValue(a)));
  return v;
}

function buildRequestValue(a: AdmissionAttributes): Record<string, unknown> {
  return {
    kind: { ...a.kind },
    resource: { ...a.resource },
    subResource: a.subResource,
    requestKind: { ...a.kind },
    requestResource: { ...a.resource },
    requestSubResource: a.subResource,
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: { username: a.userInfo.username, uid: a.userInfo.uid ?? '', groups: a.userInfo.groups ?? [], extra: a.userInfo.extra ?? {} },
    dryRun: a.dryRun ?? false,
    options: a.options ?? null,
  };
}

/** Evaluates every policy (with its bindings) that applies to the request. */
export function evaluateVaps(policies: ValidatingAdmissionPolicy[], bindings: ValidatingAdmissionPolicyBinding[], a: AdmissionAttributes, ctx: VapContext): VapOutcome {
  const out: VapOutcome = { decisions: [], ignored: [], auditAnnotations: {}, notEvaluated: [], applied: [] };
  const nsLabels = a.namespace ? ctx.namespaceLabels(a.namespace) : {};
  for (const policy of policies) {
    const name = policy.metadata?.name ?? '';
    const pm = matchResources(policy.spec?.matchConstraints, a, nsLabels);
    if (pm.matches === false) continue;
    if (pm.matches === 'unknown') {
      out.notEvaluated.push({ policy: name, reason: pm.reason });
      continue;
    }
    for (const binding of bindings.filter((b) => b.spec?.policyName === name)) {
      const bm = matchResources(binding.spec?.matchResources, a, nsLabels);
      if (bm.matches === false) continue;
      if (bm.matches === 'unknown') {
        out.notEvaluated.push({ policy: name, binding: binding.metadata?.name, reason: bm.reason });
        continue;
      }
      out.applied.push({ policy: name, binding: binding.metadata?.name ?? '' });
      evaluateBinding(policy, binding, a, ctx, out);
    }
  }
  return out;
}

function configError(out: VapOutcome, fp: 'Fail' | 'Ignore', policy: string, binding: string, message: string): void {
  if (fp === 'Ignore') out.ignored.push({ policy, binding, message });
  else out.decisions.push({ policy, binding, actions: ['Deny'], evaluation: 'error', message: `failed to configure binding: ${message}`, reason: 'Invalid' });
}

function evaluateBinding(policy: ValidatingAdmissionPolicy, binding: ValidatingAdmissionPolicyBinding, a: AdmissionAttributes, ctx: VapContext, out: VapOutcome): void {
  const pname = policy.metadata?.name ?? '';
  const bname = binding.metadata?.name ?? '';
  const actions = binding.spec?.validationActions ?? [];
  const fp = failurePolicy(policy);

  // params (generic.CollectParams)
  const paramKind = policy.spec?.paramKind;
  const ref = binding.spec?.paramRef;
  let params: Array<KubeObject | null>;
  if (!paramKind || !ref) params = [null];
  else {
    const namespaced = ctx.paramNamespaced(paramKind);
    if (ref.namespace && !namespaced) return configError(out, fp, pname, bname, 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`');
    if (ref.name && ref.selector) return configError(out, fp, pname, bname, 'paramRef.name and paramRef.selector are mutually exclusive');
    if (!ref.name && !ref.selector) return configError(out, fp, pname, bname, 'one of name or selector must be provided');
    let ns: string | undefined;
    if (namespaced) {
      ns = ref.namespace || a.namespace;
      if (!ns) return configError(out, fp, pname, bname, 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
    }
    const found = ctx.params(paramKind, { name: ref.name, selector: ref.selector }, ns);
    if (found === 'unknown') {
      out.notEvaluated.push({ policy: pname, binding: bname, reason: `the params (${paramKind.kind ?? '?'} ${ref.name ?? 'by selector'}) are not among the inputs` });
      return;
    }
    if (found.length === 0 && ref.parameterNotFoundAction === 'Deny') return configError(out, fp, pname, bname, 'no params found for policy binding with `Deny` parameterNotFoundAction');
    params = found;
  }

  const namespaceObject = a.namespace && !(a.kind.kind === 'Namespace' && a.kind.group === '') ? (ctx.namespaceObject(a.namespace) ?? null) : null;
  for (const param of params) {
    const result = validate(policy, a, param, namespaceObject, ctx);
    for (const d of result.decisions) {
      if (d.evaluation === 'error' && fp === 'Ignore') {
        out.ignored.push({ policy: pname, binding: bname, message: d.message });
        continue;
      }
      out.decisions.push({ ...d, policy: pname, binding: bname, actions });
    }
    for (const k in result.annotations) out.auditAnnotations[`${pname}/${k}`] = result.annotations[k];
    for (const e of result.annotationErrors) {
      if (fp === 'Ignore') out.ignored.push({ policy: pname, binding: bname, message: e });
      else out.decisions.push({ policy: pname, binding: bname, actions: ['Deny'], evaluation: 'error', message: e, reason: 'Invalid' });
    }
  }
}

type PartialDecision = Omit<VapDecision, 'policy' | 'binding' | 'actions'>;

interface ValidateResult {
  decisions: PartialDecision[];
  annotations: Record<string, string>;
  annotationErrors: string[];
}

function errorText(e: unknown): string {
  return e instanceof CelError ? e.message : 'internal error';
}

/** validator.Validate: one policy, one param object. */
function validate(policy: ValidatingAdmissionPolicy, a: AdmissionAttributes, param: KubeObject | null, namespaceObject: KubeObject | null, ctx: VapContext): ValidateResult {
  const res: ValidateResult = { decisions: [], annotations: {}, annotationErrors: [] };
  const spec = policy.spec ?? {};
  const env = ctx.env;
  const baseVars: Record<string, Value> = {
    object: (a.object ?? null) as Value,
    oldObject: (a.oldObject ?? null) as Value,
    request: requestValue(a),
    params: (param ?? null) as Value,
    namespaceObject: namespaceObject as Value,
  };
  if (ctx.authorize) {
    const user = { name: a.userInfo.username, groups: a.userInfo.groups ?? [] };
    baseVars.authorizer = new CelAuthorizer(ctx.authorize, user, { group: a.resource.group, resource: a.resource.resource, subresource: a.subResource, namespace: a.namespace, name: a.name });
  }
  const budget: CostBudget = { used: 0, limit: RUNTIME_COST_BUDGET };
  const variables = spec.variables?.length ? new LazyVariables(spec.variables, env, baseVars, budget) : NO_VARIABLES;
  const vars: Activation = new VapActivation(baseVars, variables);

  // matchConditions: all must be true; an error is decided by failurePolicy (as a whole-policy error)
  const mcBudget: CostBudget = { used: 0, limit: RUNTIME_COST_BUDGET };
  if (!spec.matchConditions?.length) return validations(spec, env, vars, budget, res);
  const mcVars: Activation = new VapActivation(baseVars, undefined);
  for (const mc of spec.matchConditions ?? []) {
    let v: Value;
    try {
      v = env.compile(mc.expression ?? '').eval(mcVars, mcBudget);
    } catch (e) {
      res.decisions.push({ evaluation: 'error', message: `matchCondition '${mc.name ?? ''}': ${errorText(e)}`, reason: 'Invalid', cost: e instanceof CelCostError });
      return res;
    }
    if (v !== true) {
      if (v === false) return res;
      res.decisions.push({ evaluation: 'error', message: `matchCondition '${mc.name ?? ''}' did not evaluate to a bool`, reason: 'Invalid' });
      return res;
    }
  }

  return validations(spec, env, vars, budget, res);
}

function validations(spec: NonNullable<ValidatingAdmissionPolicy['spec']>, env: CelEnvironment, vars: Activation, budget: CostBudget, res: ValidateResult): ValidateResult {
  const vals = spec.validations ?? [];
  for (let i = 0; i < vals.length; i++) {
    const val = vals[i];
    const expr = val.expression ?? '';
    let v: Value;
    try {
      v = env.compile(expr).eval(vars, budget);
    } catch (e) {
      if (e instanceof CelCostError && budget.used >= budget.limit) {
        // ErrOutOfBudget: the whole policy evaluation ends in one error
        return { decisions: [{ evaluation: 'error', message: 'validation failed due to running out of cost budget, no further validation rules will be run', reason: 'Invalid', cost: true }], annotations: {}, annotationErrors: [] };
      }
      res.decisions.push({ evaluation: 'error', message: `expression '${expr.trim()}' resulted in error: ${errorText(e)}`, reason: 'Invalid', validation: i, cost: e instanceof CelCostError });
      continue;
    }
    if (v === true) continue;
    let message = '';
    if (val.messageExpression) {
      try {
        const m = env.compile(val.messageExpression).eval(vars, budget);
        if (typeof m === 'string') {
          message = m.trim();
          if (new TextEncoder().encode(message).length > MAX_MESSAGE_BYTES || message.includes('\n')) message = '';
        }
      } catch {
        // a failing messageExpression falls back to message (validator.go)
      }
    }
    if (!message && val.message) message = val.message.trim();
    if (!message) message = `failed expression: ${expr.trim()}`;
    res.decisions.push({ evaluation: 'deny', message, reason: val.reason ?? 'Invalid', validation: i });
  }

  // audit annotations: a fresh budget, string or null values
  if (!spec.auditAnnotations?.length) return res;
  const aaBudget: CostBudget = { used: 0, limit: RUNTIME_COST_BUDGET };
  for (const aa of spec.auditAnnotations) {
    try {
      const v = env.compile(aa.valueExpression ?? '').eval(vars, aaBudget);
      if (v === null) continue;
      if (typeof v !== 'string') {
        res.annotationErrors.push(`valueExpression '${aa.valueExpression}' resulted in unsupported return type. Return type must be either string or null.`);
        continue;
      }
      const t = v.trim();
      if (t) res.annotations[aa.key ?? ''] = t.slice(0, MAX_AUDIT_VALUE);
    } catch (e) {
      res.annotationErrors.push(`valueExpression '${aa.valueExpression}' resulted in error: ${errorText(e)}`);
    }
  }
  return res;
}

const declMaps = new WeakMap<object, Map<string, string>>();

/** `variables` of a policy that declares none. */
const NO_VARIABLES: LazyMap = { lazy: true, has: () => false, get: () => undefined };

/** `variables`: each computed on first use and cached (a variable sees the variables it names). */
class LazyVariables implements LazyMap {
  readonly lazy = true;
  private cache: Map<string, { v?: Value; e?: unknown }> | undefined;
  private readonly byName: Map<string, string>;
  private vars: Activation | undefined;
  constructor(
    decls: Array<{ name?: string; expression?: string }>,
    private readonly env: CelEnvironment,
    private readonly base: Record<string, Value>,
    private readonly budget: CostBudget,
  ) {
    let byName = declMaps.get(decls);
    if (!byName) declMaps.set(decls, (byName = new Map(decls.map((d) => [d.name ?? '', d.expression ?? '']))));
    this.byName = byName;
  }
  has(k: string): boolean {
    return this.byName.has(k);
  }
  get(k: string): Value | undefined {
    const expr = this.byName.get(k);
    if (expr === undefined) return undefined;
    const cache = (this.cache ??= new Map());
    const hit = cache.get(k);
    if (hit) {
      if ('e' in hit) throw hit.e;
      return hit.v;
    }
    try {
      const v = this.env.compile(expr).eval((this.vars ??= new VapActivation(this.base, this)), this.budget);
      cache.set(k, { v });
      return v;
    } catch (e) {
      cache.set(k, { e });
      throw e;
    }
  }
}

/** object, oldObject, request, params, namespaceObject, authorizer and (when given) variables. */
class VapActivation implements Activation {
  constructor(
    private readonly base: Record<string, Value>,
    private readonly variables: LazyMap | undefined,
  ) {}
  get(n: string): Value | undefined {
    if (n === 'variables') return this.variables;
    return Object.prototype.hasOwnProperty.call(this.base, n) ? this.base[n] : undefined;
  }
}
