/** Runs one cel-spec case against our engine and says whether it passed (and what we got). */
import type { SpecCase, SpecValue } from './cel-spec.js';
import { kubernetesEnv } from '../env.js';
import { activation } from '../program.js';
import { CelError } from '../errors.js';
import { CelDouble, CelMap, CelType, CelUint, isIntNumber, type Value } from '../values.js';
import { kind, big, num, mapEntries } from '../ops.js';

export interface SpecOutcome {
  pass: boolean;
  got: string;
}

export function toInput(v: SpecValue): Value {
  switch (v.t) {
    case 'int':
      return v.v;
    case 'uint':
      return new CelUint(v.v);
    case 'double':
      return isIntNumber(v.v) || Object.is(v.v, -0) ? new CelDouble(v.v) : v.v;
    case 'string':
    case 'bool':
      return v.v;
    case 'bytes':
      return v.v;
    case 'null':
      return null;
    case 'list':
      return v.v.map(toInput);
    case 'map': {
      const m = new CelMap();
      for (const [k, x] of v.v) {
        const kv = toInput(k);
        m.entries.set(CelMap.keyOf(kv)!, [kv, toInput(x)]);
      }
      return m;
    }
    case 'type':
      return new CelType(v.v);
    default:
      throw new Error(`unsupported binding: ${v.t}`);
  }
}

function same(got: Value, want: SpecValue): boolean {
  const k = kind(got);
  switch (want.t) {
    case 'int':
      return k === 'int' && big(got) === want.v;
    case 'uint':
      return k === 'uint' && (got as CelUint).v === want.v;
    case 'double':
      return k === 'double' && (Object.is(num(got), want.v) || (num(got) === want.v));
    case 'string':
    case 'bool':
      return got === want.v;
    case 'bytes':
      return got instanceof Uint8Array && Buffer.from(got).equals(Buffer.from(want.v));
    case 'null':
      return got === null;
    case 'list':
      return Array.isArray(got) && got.length === want.v.length && got.every((x, i) => same(x as Value, want.v[i]));
    case 'map': {
      if (k !== 'map') return false;
      const entries = [...mapEntries(got)];
      return entries.length === want.v.length && want.v.every(([wk, wv]) => entries.some(([gk, gv]) => same(gk, wk) && same(gv, wv)));
    }
    case 'type':
      return got instanceof CelType && got.name === want.v;
    default:
      return false;
  }
}

function replacer(_k: string, x: unknown): unknown {
  if (typeof x === 'bigint') return `${x}n`;
  if (x instanceof CelUint) return `${x.v}u`;
  if (x instanceof CelDouble) return x.v;
  if (x instanceof CelMap) return Object.fromEntries([...x.entries.values()].map(([a, b]) => [String(a), b]));
  if (x instanceof Uint8Array) return `b[${[...x]}]`;
  return x;
}

export function show(v: Value): string {
  try {
    return (JSON.stringify(v, replacer) ?? 'undefined').slice(0, 200);
  } catch {
    return String(v);
  }
}

export function runSpecCase(c: SpecCase): SpecOutcome {
  let got: Value;
  try {
    const vars: Record<string, Value> = {};
    for (const [k, v] of Object.entries(c.bindings)) vars[k] = toInput(v);
    got = kubernetesEnv().compile(c.expr).eval(activation(vars));
  } catch (e) {
    const msg = e instanceof CelError ? `${e.kind} error: ${e.message}` : `crash: ${(e as Error).message}`;
    const ok = e instanceof CelError && c.expect.kind === 'error';
    return { pass: ok, got: msg };
  }
  const e = c.expect;
  const pass = e.kind === 'value' ? same(got, e.value) : e.kind === 'typed' ? (e.value ? same(got, e.value) : true) : false;
  return { pass, got: show(got) };
}
