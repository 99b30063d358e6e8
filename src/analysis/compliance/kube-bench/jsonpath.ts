/**
 * The subset of kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath) that kube-bench check definitions use:
 * text outside braces, `{.a.b}`, `{.a['b']}`, `{.list[0]}`, `[*]`, `[:]`, `[n:m]`, `{@}` and `{}` (the current
 * value), quoted literals `{','}`, and `{range EXPR}…{end}`. kube-bench runs it with AllowMissingKeys, so a missing
 * key yields nothing. Values print as kubectl prints them: strings raw, numbers and booleans as text, maps and
 * lists as compact JSON with sorted keys (Go's json.Marshal); several results of one expression are joined by a
 * space. Anything else (filters, recursive descent, unions) is refused with an error, never guessed.
 */

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'slice'; start?: number; end?: number };
type Node = { kind: 'text'; text: string } | { kind: 'expr'; steps: Step[] } | { kind: 'range'; steps: Step[]; body: Node[] };

export class JsonPathError extends Error {}

/** Splits a template into literal text and {…} actions. */
function actions(template: string): { text?: string; action?: string }[] {
  const out: { text?: string; action?: string }[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out.push({ text: template.slice(i) });
      break;
    }
    if (open > i) out.push({ text: template.slice(i, open) });
    let j = open + 1;
    let quote = '';
    for (; j < template.length; j++) {
      const ch = template[j];
      if (quote) {
        if (ch === '\\') j++;
        else if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '}') break;
    }
    if (j >= template.length) throw new JsonPathError(`unclosed action in ${JSON.stringify(template)}`);
    out.push({ action: template.slice(open + 1, j).trim() });
    i = j + 1;
  }
  return out;
}

function parseSteps(expr: string): Step[] {
  const steps: Step[] = [];
  let s = expr.trim();
  if (s.startsWith('@') || s.startsWith('$')) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('..', i)) throw new JsonPathError('recursive descent is not supported');
    if (s[i] === '.') {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i + 1));
      if (!m) throw new JsonPathError(`bad field at ${JSON.stringify(s.slice(i))}`);
      steps.push({ kind: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) throw new JsonPathError('unclosed [');
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted) steps.push({ kind: 'field', name: quoted[2] });
      else if (inner === '*') steps.push({ kind: 'slice' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else {
        const m = /^(-?\d+)?:(-?\d+)?$/.exec(inner);
        if (!m) throw new JsonPathError(`unsupported subscript [${inner}]`);
        steps.push({ kind: 'slice', start: m[1] === undefined ? undefined : Number(m[1]), end: m[2] === undefined ? undefined : Number(m[2]) });
      }
    } else throw new JsonPathError(`unsupported expression ${JSON.stringify(expr)}`);
  }
  return steps;
}

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  for (const a of actions(template)) {
    const into = stack[stack.length - 1];
    if (a.text !== undefined) {
      into.push({ kind: 'text', text: a.text });
      continue;
    }
    const action = a.action!;
    const literal = /^(['"])(.*)\1$/s.exec(action);
    if (literal) into.push({ kind: 'text', text: literal[2] });
    else if (action === 'end') {
      if (stack.length === 1) throw new JsonPathError('{end} without {range}');
      stack.pop();
    } else if (action.startsWith('range ')) {
      const node: Node = { kind: 'range', steps: parseSteps(action.slice(6)), body: [] };
      into.push(node);
      stack.push(node.body);
    } else into.push({ kind: 'expr', steps: action === '' ? [] : parseSteps(action) });
  }
  if (stack.length !== 1) throw new JsonPathError('{range} without {end}');
  return root;
}

function walk(values: unknown[], steps: Step[]): unknown[] {
  let cur = values;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (step.kind === 'field') {
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, step.name)) {
          const x = (v as Record<string, unknown>)[step.name];
          if (x !== null && x !== undefined) next.push(x);
        }
      } else if (Array.isArray(v)) {
        if (step.kind === 'index') {
          const i = step.index < 0 ? v.length + step.index : step.index;
          if (i < 0 || i >= v.length) throw new JsonPathError(`array index out of bounds: index ${step.index}, length ${v.length}`);
          next.push(v[i]);
        } else {
          const norm = (n: number | undefined, d: number) => (n === undefined ? d : n < 0 ? Math.max(0, v.length + n) : Math.min(n, v.length));
          next.push(...v.slice(norm(step.start, 0), norm(step.end, v.length)));
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** Go's json.Marshal: compact, map keys sorted. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${goJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return goJson(v);
}

function render(nodes: Node[], cur: unknown[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'expr') out += walk(cur, n.steps).map(text).join(' ');
    else for (const item of walk(cur, n.steps)) out += render(n.body, [item]);
  }
  return out;
}

/** Evaluates a template against a parsed JSON/YAML document; throws JsonPathError on what it does not support. */
export function executeJsonPath(template: string, data: unknown): string {
  return render(parse(template), [data]);
}
