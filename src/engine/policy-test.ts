/**
 * `kubeguard policy test`: a policy judged against fixtures whose expected outcome is written down, as
 * `kyverno test` does. A test names policy files (ValidatingAdmissionPolicies, bindings, params), resource
 * files, and expected results per policy and resource: pass (admitted), fail (denied), warn (admitted with a
 * warning), skip (the policy does not apply). Policies without a binding act as bound with Deny. Custom CEL
 * rules (`kind: Rule`) among the policies are tested the same way by their id (no warn: a rule reports or not).
 */
import type { KubeObject, Resource } from '../core/model.js';
import { evaluateVaps } from '../analysis/cel/vap/evaluate.js';
import { admissionFor } from '../analysis/cel/vap/request.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from '../analysis/cel/vap/types.js';
import { bindingsOf, vapContextFrom } from './vap-rules.js';
import { isVap, isVapBinding } from './policy-kinds.js';
import { celRules } from './cel-rules.js';
import { scan } from './scan.js';
import type { Rule } from '../core/rule.js';

/** A custom CEL rule on one object: fail when it reports, skip when its kinds leave the object out. */
function customOutcome(rule: Rule, r: Resource, expected: Outcome): Pick<PolicyTestCase, 'got' | 'ok' | 'messages' | 'reason'> {
  if (rule.kinds !== 'pod-bearing' && !rule.kinds.includes('*') && !rule.kinds.includes(r.ref.kind)) return { got: 'skip', ok: expected === 'skip', messages: [] };
  const report = scan([r], { rules: [{ rule, severity: rule.severity, options: {} }], now: new Date(0) });
  const messages = report.findings.map((f) => f.message);
  if (report.notEvaluated.length) return { ok: false, messages, reason: `could not evaluate: ${report.notEvaluated.map((n) => n.reason).join('; ')}` };
  const got: Outcome = messages.length ? 'fail' : 'pass';
  return { got, ok: got === expected, messages };
}

export type Outcome = 'pass' | 'fail' | 'warn' | 'skip';
export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'warn', 'skip'];

export interface ExpectedResult {
  policy: string;
  /** `name` or `namespace/name` of objects among the test's resources */
  resources: string[];
  kind?: string;
  result: Outcome;
}

export interface PolicyTest {
  name: string;
  file: string;
  policies: readonly Resource[];
  resources: readonly Resource[];
  results: readonly ExpectedResult[];
}

export interface PolicyTestCase {
  test: string;
  policy: string;
  resource: string;
  expected: Outcome;
  /** undefined when the outcome could not be decided (missing data); `reason` says why */
  got?: Outcome;
  ok: boolean;
  reason?: string;
  /** the policy's messages for this object */
  messages: string[];
}

function named(o: KubeObject, ref: string): boolean {
  const name = o.metadata?.name ?? '';
  const ns = o.metadata?.namespace;
  return ref.includes('/') ? ref === `${ns ?? ''}/${name}` : ref === name;
}

export function runPolicyTest(t: PolicyTest): PolicyTestCase[] {
  const policies = t.policies.filter((r) => isVap(r.object)).map((r) => r.object as ValidatingAdmissionPolicy);
  const bindings = t.policies.filter((r) => isVapBinding(r.object)).map((r) => r.object as ValidatingAdmissionPolicyBinding);
  const ctx = vapContextFrom([...t.policies, ...t.resources].map((r) => r.object));
  const customRules = celRules({}, t.policies);
  const out: PolicyTestCase[] = [];
  for (const exp of t.results) {
    const policy = policies.find((p) => p.metadata?.name === exp.policy);
    for (const ref of exp.resources) {
      const base = { test: t.name, policy: exp.policy, resource: exp.kind ? `${exp.kind}/${ref}` : ref, expected: exp.result, messages: [] as string[] };
      const custom = policy ? undefined : customRules.find((r) => r.id === exp.policy);
      if (!policy && !custom) {
        out.push({ ...base, ok: false, reason: `no ValidatingAdmissionPolicy or custom rule named ${exp.policy} among the test's policies` });
        continue;
      }
      const objects = t.resources.filter((r) => named(r.object, ref) && (!exp.kind || r.ref.kind === exp.kind));
      if (objects.length !== 1) {
        out.push({ ...base, ok: false, reason: objects.length ? `${objects.length} resources are named ${ref}; give the kind or namespace/name` : `no resource named ${ref}${exp.kind ? ` of kind ${exp.kind}` : ''} among the test's resources` });
        continue;
      }
      const r = objects[0];
      if (custom) {
        out.push({ ...base, ...customOutcome(custom, r, exp.result) });
        continue;
      }
      const res = evaluateVaps([policy!], bindingsOf(policy!, bindings, true), admissionFor(r.object, r.previous ? 'UPDATE' : 'CREATE', r.previous ?? null), ctx);
      const messages = res.decisions.map((d) => d.message);
      if (res.notEvaluated.length) {
        out.push({ ...base, ok: false, messages, reason: `could not evaluate: ${res.notEvaluated.map((n) => n.reason).join('; ')}` });
        continue;
      }
      const actions = new Set(res.decisions.flatMap((d) => d.actions));
      const got: Outcome = res.applied.length === 0 ? 'skip' : actions.has('Deny') ? 'fail' : actions.has('Warn') ? 'warn' : 'pass';
      out.push({ ...base, got, ok: got === exp.result, messages });
    }
  }
  return out;
}
