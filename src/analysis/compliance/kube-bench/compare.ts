/**
 * kube-bench's test semantics, written from its check/test.go and check/check.go (aquasecurity/kube-bench):
 *
 * - a `flag` item looks in the audit output (a `ps` line, `stat` output, …): present when the text contains the
 *   flag; its value is what follows `flag=`, `flag:` or `flag: ` up to whitespace, "true" for a bare `--flag`, and
 *   the flag itself for a bare word (`root:root`);
 * - when the flag is not in the audit output and the check has an `audit_config`, the item's `path` (a kubectl
 *   JSONPath) is looked up in that output, parsed as JSON or else YAML: present when the result is not empty;
 * - when still not found and the item names an `env`, `NAME=value` is looked up in the process environment;
 * - `set: true` needs presence (and `compare` to hold, when given), `set: false` needs absence;
 * - `use_multiple_values`: every line of the output must pass (the first failing line decides);
 * - `bin_op`: and (default) / or over the items; any other operator is an error.
 *
 * compare ops: eq / noteq (case-insensitive for true/false), gt/gte/lt/lte (integers, strconv.Atoi), has / nothave
 * (substring), regex (Go RE2, here re2js), valid_elements (every comma-separated value is in the allowed list),
 * bitmask (octal permissions no wider than the given mode).
 */
import { RE2JS } from 're2js';
import yaml from 'js-yaml';
import type { BenchmarkCheck, TestItem } from './definitions.js';
import { executeJsonPath, JsonPathError } from './jsonpath.js';

type Source = 'command' | 'config' | 'env';

export interface ItemResult {
  pass: boolean;
  found: boolean;
  /** The value found (undefined when absent). */
  value?: string;
  /** kube-bench's expected-result text, e.g. "'--profiling' is equal to 'false'". */
  expected: string;
  /** Where the item was answered. */
  source: Source;
  /** The item could not be evaluated (a document that does not parse, an unsupported JSONPath). */
  error?: string;
}

export interface TestOutcome {
  pass: boolean;
  expected: string;
  items: ItemResult[];
  /** Set when the tests could not be evaluated at all (unknown bin_op, a broken item). */
  error?: string;
}

/** The audit outputs of one check, as kube-bench captures them (stdout and stderr of each command). */
export interface AuditOutputs {
  command: string;
  config: string;
  /** The environment of the component's process, one NAME=value a line; computed only when an item needs it. */
  env: () => string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function findFlag(s: string, flag: string): { match: boolean; value?: string } {
  if (s === '' || flag === '' || !s.includes(flag)) return { match: false };
  const m = new RegExp(`(${escapeRegExp(flag)})(=|: *)*([^\\s]*) *`).exec(s);
  if (!m) return { match: true, value: '' };
  if (m[3] !== '') return { match: true, value: m[3] };
  return { match: true, value: flag.startsWith('--') ? 'true' : m[1] };
}

/** JSON first, then YAML (kube-bench's unmarshal); a document that is neither is an error. */
function parseDocument(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return yaml.load(s, { schema: yaml.CORE_SCHEMA, json: true });
  }
}

function findPath(s: string, path: string): { match: boolean; value?: string; error?: string } {
  let doc: unknown;
  try {
    doc = parseDocument(s);
  } catch {
    return { match: false, error: 'the configuration is neither JSON nor YAML' };
  }
  try {
    const value = executeJsonPath(path, doc);
    return { match: value !== '', value };
  } catch (e) {
    if (e instanceof JsonPathError) return { match: false, error: `JSONPath ${path}: ${e.message}` };
    throw e;
  }
}

function findEnv(s: string, env: string): { match: boolean; value?: string } {
  if (s === '' || env === '') return { match: false };
  const m = new RegExp(`${escapeRegExp(env)}=.*(?:$|\\n)`, 'm').exec(s);
  const out = m ? m[0].replace('\n', '').replace(`${env}=`, '') : '';
  return out.length > 0 ? { match: true, value: out } : { match: false };
}

function toInt(s: string): number | undefined {
  const t = s.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

function splitElements(s: string): string[] {
  const clean = s.trim().replace(/,+$/, '');
  return clean === '' ? [] : clean.split(',').map((x) => x.trim());
}

/** kube-bench compareOp: the expected-result text and whether the value passes. */
export function compareOp(op: string, flagVal: string, compareValue: string, flagName: string): { expected: string; pass: boolean } {
  const f = (pattern: string) => pattern.replace('%s', flagName).replace('%s', compareValue);
  switch (op) {
    case 'eq':
    case 'noteq': {
      const lower = flagVal.toLowerCase();
      const equal = lower === 'true' || lower === 'false' ? lower === compareValue : flagVal === compareValue;
      return op === 'eq' ? { expected: f("'%s' is equal to '%s'"), pass: equal } : { expected: f("'%s' is not equal to '%s'"), pass: !equal };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = toInt(flagVal);
      const b = toInt(compareValue);
      if (a === undefined || b === undefined) return { expected: `Invalid Number(s) used for comparison: '${flagVal}' '${compareValue}'`, pass: false };
      if (op === 'gt') return { expected: f("'%s' is greater than %s"), pass: a > b };
      if (op === 'gte') return { expected: f("'%s' is greater or equal to %s"), pass: a >= b };
      if (op === 'lt') return { expected: f("'%s' is lower than %s"), pass: a < b };
      return { expected: f("'%s' is lower or equal to %s"), pass: a <= b };
    }
    case 'has':
      return { expected: f("'%s' has '%s'"), pass: flagVal.includes(compareValue) };
    case 'nothave':
      return { expected: f("'%s' does not have '%s'"), pass: !flagVal.includes(compareValue) };
    case 'regex':
      return { expected: f("'%s' matched by regex expression '%s'"), pass: RE2JS.compile(compareValue).matcher(flagVal).find() };
    case 'valid_elements': {
      const have = splitElements(flagVal);
      const allowed = splitElements(compareValue);
      const pass = have.length === 0 && allowed.length === 0 ? true : have.length === 0 || allowed.length === 0 ? false : have.every((h) => allowed.includes(h));
      return { expected: f("'%s' contains valid elements from '%s'"), pass };
    }
    case 'bitmask': {
      if (!/^[+-]?[0-7]+$/.test(flagVal)) return { expected: `Not numeric value - flag: ${flagVal}`, pass: false };
      if (!/^[+-]?[0-7]+$/.test(compareValue)) return { expected: `Not numeric value - flag: ${compareValue}`, pass: false };
      const requested = parseInt(flagVal, 8);
      const max = parseInt(compareValue, 8);
      return { expected: `${flagName} has permissions ${flagVal}, expected ${compareValue} or more restrictive`, pass: (max & requested) === requested };
    }
    default:
      return { expected: '', pass: false };
  }
}

/** Evaluates one item on one text (one line of it, with use_multiple_values). */
function evaluate(t: TestItem, s: string, source: Source): ItemResult {
  const name = source === 'config' ? t.path : source === 'env' ? t.env : t.flag;
  const found: { match: boolean; value?: string; error?: string } = source === 'config' ? findPath(s, t.path) : source === 'env' ? findEnv(s, t.env) : findFlag(s, t.flag);
  if (found.error) return { pass: false, found: false, expected: '', source, error: found.error };
  if (t.set) {
    if (found.match && t.compare.op !== '') {
      const r = compareOp(t.compare.op, found.value ?? '', t.compare.value, name);
      return { pass: r.pass, found: true, value: found.value, expected: r.expected, source };
    }
    return { pass: found.match, found: found.match, value: found.value, expected: `'${name}' is present`, source };
  }
  return { pass: !found.match, found: found.match, value: found.value, expected: `'${name}' is not present`, source };
}

function execute(t: TestItem, output: string, multiple: boolean, source: Source): ItemResult {
  const s = output.replace(/[ \n]+$/, '');
  const lines = multiple ? s.split('\n') : [s];
  let result: ItemResult = { pass: false, found: false, expected: '', source };
  for (const line of lines) {
    result = evaluate(t, line, source);
    if (!result.pass) break;
  }
  return result;
}

/** Runs a check's tests on its audit outputs (check.execute in kube-bench). */
export function runTests(check: BenchmarkCheck, out: AuditOutputs): TestOutcome {
  const tests = check.tests!;
  const items: ItemResult[] = [];
  for (const t of tests.items) {
    let r = execute(t, out.command, check.multiple, 'command');
    if (!r.found && check.auditConfig !== '' && out.config !== '') {
      r = execute(t, out.config, check.multiple, 'config');
      if (!r.found && t.env !== '') r = execute(t, out.env(), check.multiple, 'env');
    }
    if (!r.found && t.env !== '' && r.source !== 'env') r = execute(t, out.env(), check.multiple, 'env');
    items.push(r);
  }
  const broken = items.find((i) => i.error);
  if (broken) return { pass: false, expected: '', items, error: broken.error };
  const expected = items.map((i) => i.expected);
  if (tests.binOp === '' || tests.binOp === 'and') return { pass: items.every((i) => i.pass), expected: expected.join(' AND '), items };
  if (tests.binOp === 'or') return { pass: items.some((i) => i.pass), expected: expected.join(' OR '), items };
  return { pass: false, expected: '', items, error: `unknown binary operator for tests ${tests.binOp}` };
}
