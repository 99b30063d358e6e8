/** Kubernetes CEL libraries checked against the cases of the Kubernetes sources' own tests (upstream-cases.ts). */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { kubernetesEnv } from '../env.js';
import { activation } from '../program.js';
import { CelError } from '../errors.js';
import { CelOptional, isObjectValue, type Value } from '../values.js';
import { equals, kind, num } from '../ops.js';
import { K8S_LIBRARY_CASES, URL_DOC_CASES, type Expected } from './upstream-cases.js';

function check(expr: string, want: Expected): string | undefined {
  let got: Value;
  try {
    got = kubernetesEnv().compile(expr).eval(activation({}));
  } catch (e) {
    if (!(e instanceof CelError)) throw e;
    return typeof want === 'object' && 'error' in want ? undefined : `error: ${e.message}`;
  }
  if (typeof want === 'object') {
    if ('error' in want) return `expected an error, got ${String(got)}`;
    if ('ok' in want) return isObjectValue(got) ? undefined : `expected a library object, got ${kind(got)}`;
    if ('double' in want) return kind(got) === 'double' && num(got) === want.double ? undefined : `got ${String(got)}`;
    if ('someOf' in want) return got instanceof CelOptional && got.hasValue() && equals(got.value!, want.someOf) ? undefined : `got ${JSON.stringify(got instanceof CelOptional ? got.value : got)}`;
  }
  if (want === 'none') return got === CelOptional.NONE ? undefined : `expected optional.none(), got ${String(got)}`;
  return equals(got, want) ? undefined : `expected ${String(want)}, got ${String(got)}`;
}

it('agrees with the Kubernetes library tests (quantity, IP, CIDR, semver, format)', () => {
  const wrong = K8S_LIBRARY_CASES.map(([lib, expr, want]) => [lib, expr, check(expr, want)]).filter(([, , w]) => w !== undefined);
  assert.deepEqual(wrong, []);
  assert.equal(K8S_LIBRARY_CASES.length, 162);
});

it('agrees with the URL library documentation examples', () => {
  const wrong = URL_DOC_CASES.map(([, expr, want]) => [expr, check(expr, want)]).filter(([, w]) => w !== undefined);
  assert.deepEqual(wrong, []);
});
