/**
 * Hostile input: runaway expressions stop at the cost limits (and say so), deep or huge expressions and objects
 * are bounded, and no error message repeats a value from the evaluated object.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubernetesEnv } from './env.js';
import { activation, PER_CALL_LIMIT } from './program.js';
import { CelCostError, CelError } from './errors.js';
import { evaluateVaps, RUNTIME_COST_BUDGET } from './vap/evaluate.js';
import { admissionFor } from './vap/request.js';
import type { Value } from './values.js';

const env = kubernetesEnv();
const SECRET = 'hunter2-s3cr3t-value';

function evalError(expr: string, vars: Record<string, Value> = {}): CelError {
  try {
    env.compile(expr).eval(activation(vars));
  } catch (e) {
    if (e instanceof CelError) return e;
    throw e;
  }
  assert.fail(`${expr} did not fail`);
}

describe('cost limits', () => {
  it('a runaway comprehension stops with a cost error at the per-expression limit', () => {
    const big = Array.from({ length: 2000 }, (_, i) => i);
    const e = evalError('xs.all(a, xs.all(b, a + b >= 0))', { xs: big });
    assert.ok(e instanceof CelCostError);
    assert.equal(e.kind, 'cost');
    assert.equal((e as CelCostError).limit, PER_CALL_LIMIT);
  });

  it('cheap expressions over the same data are not stopped', () => {
    const big = Array.from({ length: 2000 }, (_, i) => i);
    assert.equal(env.compile('xs.all(a, a >= 0)').eval(activation({ xs: big })), true);
  });

  it('a policy whose validations together exceed the per-evaluation budget fails as a cost error, reported as such', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    // each validation costs ~300k (under the per-call limit); 40 of them exceed the 10M budget
    const validations = Array.from({ length: 40 }, (_, i) => ({ expression: `object.data.xs.all(a, a + ${i} >= 0) && object.data.xs.all(a, a >= 0) && object.data.xs.map(a, a).size() > 0 && object.data.xs.filter(a, a > 0).size() > 0 && object.data.xs.exists(a, a < 0) == false && object.data.xs.all(a, a < 1000000) && object.data.xs.all(a, a != -1) && object.data.xs.all(a, a != -2) && object.data.xs.all(a, a != -3) && object.data.xs.all(a, a != -4) && object.data.xs.all(a, a != -5) && object.data.xs.all(a, a != -6) && object.data.xs.all(a, a != -7) && object.data.xs.all(a, a != -8) && object.data.xs.all(a, a != -9) && object.data.xs.all(a, a != -10) && object.data.xs.all(a, a != -11) && object.data.xs.all(a, a != -12) && object.data.xs.all(a, a != -13) && object.data.xs.all(a, a != -14) && object.data.xs.all(a, a != -15) && object.data.xs.all(a, a != -16) && object.data.xs.all(a, a != -17) && object.data.xs.all(a, a != -18) && object.data.xs.all(a, a != -19) && object.data.xs.all(a, a != -20) && object.data.xs.all(a, a != -21) && object.data.xs.all(a, a != -22) && object.data.xs.all(a, a != -23) && object.data.xs.all(a, a != -24) && object.data.xs.all(a, a != -25) && object.data.xs.all(a, a != -26) && object.data.xs.all(a, a != -27) && object.data.xs.all(a, a != -28) && object.data.xs.all(a, a != -29) && object.data.xs.all(a, a != -30) && object.data.xs.all(a, a != -31) && object.data.xs.all(a, a != -32) && object.data.xs.all(a, a != -33) && object.data.xs.all(a, a != -34) && object.data.xs.all(a, a != -35) && object.data.xs.all(a, a != -36) && object.data.xs.all(a, a != -37) && object.data.xs.all(a, a != -38) && object.data.xs.all(a, a != -39) && object.data.xs.all(a, a != -40) && object.data.xs.all(a, a != -41) && object.data.xs.all(a, a != -42) && object.data.xs.all(a, a != -43) && object.data.xs.all(a, a != -44) && object.data.xs.all(a, a != -45) && object.data.xs.all(a, a != -46) && object.data.xs.all(a, a != -47) && object.data.xs.all(a, a != -48) && object.data.xs.all(a, a != -49) && object.data.xs.all(a, a != -50) && object.data.xs.all(a, a != -51) && object.data.xs.all(a, a != -52) && object.data.xs.all(a, a != -53) && object.data.xs.all(a, a != -54) && object.data.xs.all(a, a != -55) && object.data.xs.all(a, a != -56) && object.data.xs.all(a, a != -57) && object.data.xs.all(a, a != -58) && object.data.xs.all(a, a != -59) && object.data.xs.all(a, a != -60)` }));
    const policy = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'expensive' }, spec: { failurePolicy: 'Fail' as const, matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }] }, validations } };
    const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'expensive', validationActions: ['Deny' as const] } };
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, data: { xs } };
    const out = evaluateVaps([policy], [binding], admissionFor(object), { env, namespaceLabels: () => ({}), namespaceObject: () => undefined, params: () => [], paramNamespaced: () => true });
    assert.equal(out.decisions.length, 1);
    assert.equal(out.decisions[0].evaluation, 'error');
    assert.equal(out.decisions[0].cost, true);
    assert.match(out.decisions[0].message, /running out of cost budget/);
    assert.ok(RUNTIME_COST_BUDGET === 10_000_000);
  });
});

describe('bounded input', () => {
  it('refuses expressions nested too deep or too long, without crashing', () => {
    assert.equal(evalError('('.repeat(300) + '1' + ')'.repeat(300)).kind, 'parse');
    assert.equal(evalError('[' + '1,'.repeat(60_000) + '1]').kind, 'parse');
  });

  it('deeply nested objects are evaluated or refused, never crash the process', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    let other: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20_000; i++) other = { a: other };
    const e = evalError('x == y', { x: deep, y: other });
    assert.equal(e.kind, 'eval');
  });

  it('invalid regular expressions (backreferences, lookaround) are errors, as in RE2', () => {
    assert.match(evalError("'aa'.matches('(a)\\\\1')").message, /invalid regular expression/);
    assert.match(evalError("'ab'.matches('a(?=b)')").message, /invalid regular expression/);
  });
});

describe('errors never echo object values', () => {
  const object = { metadata: { name: 'x' }, data: { password: SECRET, list: [SECRET] } };
  const failing = [
    'int(object.data.password) > 0',
    'double(object.data.password) > 0.0',
    'bool(object.data.password)',
    'quantity(object.data.password).isInteger()',
    'ip(object.data.password).family() == 4',
    'cidr(object.data.password).prefixLength() == 8',
    'url(object.data.password + " x").getHost() == ""',
    'semver(object.data.password).major() == 1',
    'timestamp(object.data.password) > timestamp("2020-01-01T00:00:00Z")',
    'duration(object.data.password) > duration("1s")',
    '{object.data.password: 1}[object.data.password + "x"] == 1',
    'object.data[object.data.password] == 1',
    'object.data.password.charAt(100) == ""',
    'object.data.list[5] == ""',
    'object.data.password / 2 == 1',
    "'x'.matches('(' + object.data.password + ')\\\\1')",
    "'x'.matches(object.data.password + '(?=a)')",
  ];
  for (const expr of failing) {
    it(expr, () => {
      const e = evalError(expr, { object });
      assert.ok(!e.message.includes(SECRET), e.message);
    });
  }
});
