/**
 * cel-spec "simple" conformance cases (testdata/cel/cel-spec-conformance/*.textproto) as plain data:
 * expression, bindings, declared variables and the expected outcome, with values in a neutral form
 * (`SpecValue`) that a harness converts for the evaluator under test.
 * Message schema: cel.expr.conformance.test.SimpleTest / cel.expr.Value (cel-spec, Apache-2.0).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { field, fields, msg, parseTextProto, str, type TextMessage, type TextValue } from './textproto.js';

export type SpecValue =
  | { t: 'int'; v: bigint }
  | { t: 'uint'; v: bigint }
  | { t: 'double'; v: number }
  | { t: 'string'; v: string }
  | { t: 'bytes'; v: Uint8Array }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'list'; v: SpecValue[] }
  | { t: 'map'; v: Array<[SpecValue, SpecValue]> }
  | { t: 'type'; v: string }
  | { t: 'enum'; type: string; v: number }
  | { t: 'object'; typeUrl: string; body: TextMessage };

export type SpecExpectation =
  | { kind: 'value'; value: SpecValue }
  | { kind: 'error'; messages: string[] }
  | { kind: 'typed'; value?: SpecValue }
  | { kind: 'unknown' };

export interface SpecCase {
  file: string;
  section: string;
  name: string;
  expr: string;
  disableCheck: boolean;
  disableMacros: boolean;
  checkOnly: boolean;
  container: string;
  /** Declared identifiers (name → type tree, untyped); functions declared are listed as well. */
  decls: Array<{ name: string; type?: TextMessage; isFunction: boolean }>;
  bindings: Record<string, SpecValue>;
  expect: SpecExpectation;
}

export const CEL_SPEC_DIR = new URL('../../../../testdata/cel/cel-spec-conformance/', import.meta.url).pathname;

export function loadSpecCases(dir = CEL_SPEC_DIR): SpecCase[] {
  const out: SpecCase[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.textproto')).sort()) {
    const file = f.replace(/\.textproto$/, '');
    const root = parseTextProto(readFileSync(join(dir, f), 'utf8'));
    for (const s of fields(root, 'section')) {
      const sec = msg(s)!;
      for (const t of fields(sec, 'test')) out.push(toCase(file, str(field(sec, 'name')) ?? '', msg(t)!));
    }
  }
  return out;
}

function bool(v: TextValue | undefined): boolean {
  return str(v) === 'true';
}

function toCase(file: string, section: string, t: TextMessage): SpecCase {
  const bindings: Record<string, SpecValue> = {};
  for (const b of fields(t, 'bindings')) {
    const bm = msg(b)!;
    const ev = msg(field(bm, 'value'))!;
    const v = msg(field(ev, 'value'));
    if (v) bindings[str(field(bm, 'key'))!] = toValue(v);
  }
  const decls = fields(t, 'type_env').map((d) => {
    const dm = msg(d)!;
    const ident = msg(field(dm, 'ident'));
    return { name: str(field(dm, 'name'))!, type: ident ? msg(field(ident, 'type')) : undefined, isFunction: !ident };
  });
  let expect: SpecExpectation;
  const value = msg(field(t, 'value'));
  const err = msg(field(t, 'eval_error'));
  const typed = msg(field(t, 'typed_result'));
  if (value) expect = { kind: 'value', value: toValue(value) };
  else if (err) expect = { kind: 'error', messages: fields(err, 'errors').map((e) => str(field(msg(e)!, 'message')) ?? '') };
  else if (field(t, 'any_eval_errors')) expect = { kind: 'error', messages: [] };
  else if (typed) {
    const r = msg(field(typed, 'result'));
    expect = { kind: 'typed', value: r ? toValue(r) : undefined };
  } else if (field(t, 'unknown') || field(t, 'any_unknowns')) expect = { kind: 'unknown' };
  else expect = { kind: 'value', value: { t: 'bool', v: true } }; // SimpleTest: no result given means `true`
  return {
    file,
    section,
    name: str(field(t, 'name')) ?? '',
    expr: str(field(t, 'expr')) ?? '',
    disableCheck: bool(field(t, 'disable_check')),
    disableMacros: bool(field(t, 'disable_macros')),
    checkOnly: bool(field(t, 'check_only')),
    container: str(field(t, 'container')) ?? '',
    decls,
    bindings,
    expect,
  };
}

function num(v: TextValue | undefined): string {
  return str(v) ?? '0';
}
function toDouble(s: string): number {
  const l = s.toLowerCase();
  if (/^-?inf(inity)?$/.test(l)) return l.startsWith('-') ? -Infinity : Infinity;
  if (/^-?nan$/.test(l)) return NaN;
  return Number(s.replace(/[fF]$/, ''));
}

export function toValue(m: TextMessage): SpecValue {
  const [k, v] = m.fields[0] ?? ['null_value', { kind: 'ident', text: 'NULL_VALUE' }];
  switch (k) {
    case 'int64_value':
      return { t: 'int', v: BigInt(num(v)) };
    case 'uint64_value':
      return { t: 'uint', v: BigInt(num(v)) };
    case 'double_value':
      return { t: 'double', v: toDouble(num(v)) };
    case 'string_value':
      return { t: 'string', v: str(v) ?? '' };
    case 'bytes_value':
      return { t: 'bytes', v: v.kind === 'str' ? v.bytes : new Uint8Array() };
    case 'bool_value':
      return { t: 'bool', v: str(v) === 'true' };
    case 'null_value':
      return { t: 'null' };
    case 'type_value':
      return { t: 'type', v: str(v) ?? '' };
    case 'enum_value': {
      const e = msg(v)!;
      return { t: 'enum', type: str(field(e, 'type')) ?? '', v: Number(num(field(e, 'value'))) };
    }
    case 'list_value':
      return { t: 'list', v: fields(msg(v)!, 'values').map((x) => toValue(msg(x)!)) };
    case 'map_value':
      return {
        t: 'map',
        v: fields(msg(v)!, 'entries').map((e) => {
          const em = msg(e)!;
          return [toValue(msg(field(em, 'key'))!), toValue(msg(field(em, 'value'))!)] as [SpecValue, SpecValue];
        }),
      };
    case 'object_value': {
      const [url, body] = msg(v)!.fields[0];
      return { t: 'object', typeUrl: url.replace(/^\[|\]$/g, ''), body: msg(body)! };
    }
    default:
      throw new Error(`unknown cel.expr.Value field ${k}`);
  }
}
