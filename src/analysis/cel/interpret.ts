/**
 * Compiles a CEL syntax tree into closures and evaluates them with cel-go's semantics: errors are values
 * absorbed by `&&`, `||` and the quantifier macros as the spec says; runtime cost is counted in cel-go's
 * units (interpreter/runtimecost.go: 1 per identifier, selection and index, call costs by overload,
 * 10/30 for list/map literals) and evaluation stops with a CelCostError once the budget is spent.
 */
import type { Comprehension, Expr } from './ast.js';
import { CelCostError, CelError, CelEvalError, noSuchOverload } from './errors.js';
import { compare, equals, kind, mapGet, mapKeys, mapEntries, num, big, typeName, validKey } from './ops.js';
import type { CelType, CelUint, LazyMap } from './values.js';
import { CelMap, CelOptional, TYPES, lookupLibraryType, type Value } from './values.js';

export type { LazyMap };

export interface Activation {
  /** The variable's value, or undefined when it is not bound. */
  get(name: string): Value | undefined;
}

export function isLazyMap(v: unknown): v is LazyMap {
  return typeof v === 'object' && v !== null && (v as LazyMap).lazy === true;
}

export interface EvalState {
  cost: number;
  limit: number;
  locals: Value[];
  vars: Activation;
}

export interface CelFunction {
  impl(args: Value[], st: EvalState): Value;
  /** runtime cost of one call (cel-go: 1 unless the overload traverses its input) */
  cost?(args: Value[], result: Value): number;
}
/** Functions by `name/arity` (global) or `.name/arity` (receiver style; the receiver is args[0]). */
export type FunctionTable = ReadonlyMap<string, CelFunction>;

type Node = (st: EvalState) => Value;

const TYPE_IDENTS: Record<string, CelType> = {
  int: TYPES.int,
  uint: TYPES.uint,
  double: TYPES.double,
  bool: TYPES.bool,
  string: TYPES.string,
  bytes: TYPES.bytes,
  list: TYPES.list,
  map: TYPES.map,
  null_type: TYPES.null_type,
  type: TYPES.type,
  optional_type: TYPES.optional_type,
  'google.protobuf.Timestamp': TYPES.timestamp,
  'google.protobuf.Duration': TYPES.duration,
};

export function charge(st: EvalState, n: number): void {
  st.cost += n;
  if (st.cost > st.limit) throw new CelCostError(`operation cancelled: actual cost limit exceeded (${st.limit})`, st.limit);
}

function withAt(e: unknown, at: number): unknown {
  if (e instanceof CelError && e.at === undefined) return Object.assign(e, { at });
  if (e instanceof RangeError) return new CelEvalError('evaluation too deep or too large', at);
  return e;
}

export class Compiler {
  private slots = new Map<string, number[]>();
  private nextSlot = 0;
  constructor(private readonly fns: FunctionTable) {}

  get slotCount(): number {
    return this.nextSlot;
  }

  compile(e: Expr): Node {
    switch (e.k) {
      case 'lit': {
        const v = e.v;
        return () => v;
      }
      case 'ident':
        return this.ident(e.name, e.at);
      case 'select':
        return this.select(e);
      case 'index':
        return this.index(e);
      case 'call':
        return this.call(e);
      case 'list':
        return this.list(e);
      case 'map':
        return this.map(e);
      case 'struct':
        return this.struct(e);
      case 'and':
      case 'or':
        return this.logic(e);
      case 'cond': {
        const t = this.compile(e.test);
        const a = this.compile(e.then);
        const b = this.compile(e.else);
        return (st) => {
          const c = t(st);
          if (c === true) return a(st);
          if (c === false) return b(st);
          throw new CelEvalError(`no matching overload for '_?_:_' applied to '(${typeName(c)}, ...)'`, e.at);
        };
      }
      case 'bind': {
        const init = this.compile(e.init);
        const slot = this.push(e.name);
        const body = this.compile(e.body);
        this.pop(e.name);
        return (st) => {
          st.locals[slot] = init(st);
          return body(st);
        };
      }
      case 'comp':
        return this.comprehension(e.macro, e.at);
    }
  }

  private push(name: string): number {
    const s = this.nextSlot++;
    const stack = this.slots.get(name) ?? [];
    stack.push(s);
    this.slots.set(name, stack);
    return s;
  }
  private pop(name: string): void {
    this.slots.get(name)!.pop();
  }
  private local(name: string): number | undefined {
    const s = this.slots.get(name);
    return s && s.length ? s[s.length - 1] : undefined;
  }

  private ident(name: string, at: number): Node {
    const slot = this.local(name);
    if (slot !== undefined)
      return (st) => {
        charge(st, 1);
        return st.locals[slot];
      };
    const bare = name.startsWith('.') ? name.slice(1) : name;
    const typeVal = TYPE_IDENTS[bare] ?? lookupLibraryType(bare);
    return (st) => {
      charge(st, 1);
      const v = st.vars.get(bare);
      if (v !== undefined) return v;
      if (typeVal) return typeVal;
      throw new CelEvalError(`undeclared reference to '${bare}'`, at);
    };
  }

  private select(e: Extract<Expr, { k: 'select' }>): Node {
    // Qualified type names (google.protobuf.Timestamp) when their root is not a variable in scope.
    const qn = nsName(e);
    if (qn !== undefined && (TYPE_IDENTS[qn] || lookupLibraryType(qn)) && !e.test && this.local(qn.split('.')[0]) === undefined) return this.ident(qn, e.at);
    const operand = this.compile(e.operand);
    const field = e.field;
    if (e.test)
      return (st) => {
        const o = operand(st);
        return hasField(o, field, e.at);
      };
    const opt = e.opt === true;
    return (st) => {
      const o = operand(st);
      charge(st, 1);
      return selectField(o, field, opt, e.at);
    };
  }

  private index(e: Extract<Expr, { k: 'index' }>): Node {
    const operand = this.compile(e.operand);
    const index = this.compile(e.index);
    const opt = e.opt === true;
    return (st) => {
      const o = operand(st);
      const i = index(st);
      charge(st, 1);
      return indexValue(o, i, opt, e.at);
    };
  }

  private call(e: Extract<Expr, { k: 'call' }>): Node {
    // Namespaced functions: `optional.of(x)`, `strings.quote(s)`, `lists.range(n)`, `math.greatest(...)`.
    if (e.target) {
      const ns = nsName(e.target);
      if (ns !== undefined && this.local(ns.split('.')[0]) === undefined && this.fns.has(`${ns}.${e.fn}/${e.args.length}`)) {
        return this.call({ k: 'call', at: e.at, fn: `${ns}.${e.fn}`, args: e.args });
      }
    }
    const key = e.target ? `.${e.fn}/${e.args.length + 1}` : `${e.fn}/${e.args.length}`;
    const f = this.fns.get(key);
    const argNodes = (e.target ? [e.target, ...e.args] : e.args).map((a) => this.compile(a));
    if (!f) {
      // Evaluate arguments first (their errors win), then fail as cel-go's checker would have.
      return (st) => {
        for (const a of argNodes) a(st);
        throw new CelEvalError(`undeclared reference to '${e.fn}'`, e.at);
      };
    }
    const impl = f.impl;
    const cost = f.cost;
    const at = e.at;
    if (argNodes.length === 1) {
      const a0 = argNodes[0];
      return (st) => {
        const args = [a0(st)];
        return invoke(impl, cost, args, st, at);
      };
    }
    if (argNodes.length === 2) {
      const [a0, a1] = argNodes;
      return (st) => {
        const x = a0(st);
        const args = [x, a1(st)];
        return invoke(impl, cost, args, st, at);
      };
    }
    return (st) => {
      const args = argNodes.map((a) => a(st));
      return invoke(impl, cost, args, st, at);
    };
  }

  private list(e: Extract<Expr, { k: 'list' }>): Node {
    const elems = e.elems.map((x) => this.compile(x));
    const opt = e.opt;
    const anyOpt = opt.some(Boolean);
    return (st) => {
      const out: Value[] = [];
      for (let i = 0; i < elems.length; i++) {
        const v = elems[i](st);
        if (anyOpt && opt[i]) {
          if (!(v instanceof CelOptional)) throw new CelEvalError('optional list element is not an optional', e.at);
          if (v.hasValue()) out.push(v.value!);
        } else out.push(v);
      }
      charge(st, 10);
      return out;
    };
  }

  private map(e: Extract<Expr, { k: 'map' }>): Node {
    const entries = e.entries.map((x) => ({ key: this.compile(x.key), value: this.compile(x.value), opt: x.opt }));
    return (st) => {
      const m = new CelMap();
      for (const en of entries) {
        const k = en.key(st);
        let v = en.value(st);
        if (!validKey(k)) throw new CelEvalError(`unsupported key type: ${typeName(k)}`, e.at);
        if (en.opt) {
          if (!(v instanceof CelOptional)) throw new CelEvalError('optional map entry is not an optional', e.at);
          if (!v.hasValue()) continue;
          v = v.value!;
        }
        const nk = CelMap.keyOf(k)!;
        if (m.entries.has(nk)) throw new CelEvalError('duplicate map key', e.at);
        m.entries.set(nk, [k, v]);
      }
      charge(st, 30);
      return plainIfStringKeys(m);
    };
  }

  private struct(e: Extract<Expr, { k: 'struct' }>): Node {
    const fields = e.fields.map((f) => ({ name: f.name, value: this.compile(f.value) }));
    return (st) => {
      for (const f of fields) f.value(st);
      throw new CelEvalError(`unknown type '${e.type}': message construction is not supported`, e.at);
    };
  }

  private logic(e: Extract<Expr, { k: 'and' | 'or' }>): Node {
    const l = this.compile(e.left);
    const r = this.compile(e.right);
    const short = e.k === 'or'; // the value that decides
    const fn = e.k === 'or' ? '_||_' : '_&&_';
    return (st) => {
      let le: unknown;
      let lv: Value | undefined;
      try {
        lv = l(st);
        if (lv === short) return short;
        if (lv !== !short) le = noSuchOverload(fn, typeName(lv), 'bool');
      } catch (err) {
        if (err instanceof CelCostError || !(err instanceof CelError)) throw err;
        le = err;
      }
      const rv = r(st);
      if (rv === short) return short;
      if (le) throw le;
      if (rv !== !short) throw withAt(noSuchOverload(fn, 'bool', typeName(rv)), e.at);
      return !short;
    };
  }

  private comprehension(c: Comprehension, at: number): Node {
    const range = this.compile(c.range);
    const s1 = this.push(c.v1);
    const s2 = c.v2 !== undefined ? this.push(c.v2) : -1;
    const body = this.compile(c.body);
    const filter = c.filter ? this.compile(c.filter) : undefined;
    if (c.v2 !== undefined) this.pop(c.v2);
    this.pop(c.v1);
    const two = c.v2 !== undefined;
    const kindName = c.kind;

    if (kindName === 'optMap' || kindName === 'optFlatMap') {
      return (st) => {
        const o = range(st);
        if (!(o instanceof CelOptional)) throw withAt(noSuchOverload(kindName, typeName(o)), at);
        charge(st, 2);
        if (!o.hasValue()) return CelOptional.NONE;
        st.locals[s1] = o.value!;
        const r = body(st);
        if (kindName === 'optMap') return CelOptional.of(r);
        if (!(r instanceof CelOptional)) throw new CelEvalError('optFlatMap() expression must return an optional', at);
        return r;
      };
    }

    return (st) => {
      const r = range(st);
      const k = kind(r);
      // keys (or elements) and, for two-variable forms, values — no per-element pair allocation
      let firsts: readonly Value[];
      let seconds: readonly Value[] | undefined;
      if (k === 'list') {
        const l = r as readonly Value[];
        if (two) {
          firsts = l.map((_, i) => BigInt(i));
          seconds = l;
        } else firsts = l;
      } else if (k === 'map') {
        firsts = mapKeys(r);
        if (two) seconds = firsts.map((key) => mapGet(r, key) as Value);
      } else if (isLazyMap(r)) throw new CelEvalError('cannot iterate over variables', at);
      else throw new CelEvalError(`expression of type '${typeName(r)}' cannot be the range of a comprehension`, at);
      const n = firsts.length;
      const bindIter = (i: number): void => {
        st.locals[s1] = firsts[i];
        if (seconds) st.locals[s2] = seconds[i];
      };
      switch (kindName) {
        case 'all':
        case 'exists': {
          const stop = kindName === 'exists';
          let firstErr: unknown;
          for (let i = 0; i < n; i++) {
            charge(st, stop ? 4 : 3);
            bindIter(i);
            let v: Value;
            try {
              v = body(st);
            } catch (err) {
              if (err instanceof CelCostError || !(err instanceof CelError)) throw err;
              firstErr ??= err;
              continue;
            }
            if (v === stop) return stop;
            if (v !== !stop) firstErr ??= new CelEvalError(`no matching overload for '${stop ? '_||_' : '_&&_'}'`, at);
          }
          charge(st, 1);
          if (firstErr) throw firstErr;
          return !stop;
        }
        case 'existsOne': {
          let count = 0;
          for (let i = 0; i < n; i++) {
            bindIter(i);
            const v = body(st);
            if (v === true) {
              count++;
              charge(st, 2);
            } else if (v === false) charge(st, 1);
            else throw new CelEvalError(`no matching overload for '_?_:_' applied to '(${typeName(v)}, ...)'`, at);
          }
          charge(st, 2);
          return count === 1;
        }
        case 'map':
        case 'filter':
        case 'transformList': {
          const out: Value[] = [];
          for (let i = 0; i < n; i++) {
            bindIter(i);
            if (filter || kindName === 'filter') {
              const keep = (filter ?? body)(st);
              if (keep !== true && keep !== false) throw new CelEvalError(`no matching overload for '_?_:_' applied to '(${typeName(keep)}, ...)'`, at);
              if (!keep) {
                charge(st, 1);
                continue;
              }
            }
            out.push(kindName === 'filter' ? (two ? seconds![i] : firsts[i]) : body(st));
            charge(st, 13);
          }
          charge(st, 11);
          return out;
        }
        case 'transformMap':
        case 'transformMapEntry': {
          const m = new CelMap();
          for (let i = 0; i < n; i++) {
            bindIter(i);
            if (filter) {
              const keep = filter(st);
              if (keep !== true && keep !== false) throw new CelEvalError(`no matching overload for '_?_:_' applied to '(${typeName(keep)}, ...)'`, at);
              if (!keep) continue;
            }
            const v = body(st);
            charge(st, 3);
            if (kindName === 'transformMap') m.entries.set(CelMap.keyOf(firsts[i])!, [firsts[i], v]);
            else {
              if (kind(v) !== 'map') throw new CelEvalError('transformMapEntry() expression must return a map', at);
              for (const [ek, ev] of mapEntries(v)) {
                const nk = CelMap.keyOf(ek)!;
                if (m.entries.has(nk)) throw new CelEvalError('insert failed: key already exists', at);
                m.entries.set(nk, [ek, ev]);
              }
            }
          }
          charge(st, 31);
          return plainIfStringKeys(m);
        }
        case 'sortBy': {
          const keyed: Array<[Value, Value]> = [];
          for (let i = 0; i < n; i++) {
            bindIter(i);
            keyed.push([firsts[i], body(st)]);
          }
          return sortByKeys(keyed, at);
        }
      }
      throw new CelEvalError(`unknown macro ${kindName}`, at);
    };
  }
}

function invoke(impl: CelFunction['impl'], cost: CelFunction['cost'], args: Value[], st: EvalState, at: number): Value {
  let r: Value;
  try {
    r = impl(args, st);
  } catch (err) {
    throw withAt(err, at);
  }
  charge(st, cost ? cost(args, r) : 1);
  return r;
}

function sortByKeys(keyed: Array<[Value, Value]>, at: number): Value[] {
  if (keyed.length === 0) return [];
  const k0 = kind(keyed[0][1]);
  if (!['int', 'uint', 'double', 'string', 'bool', 'bytes', 'timestamp', 'duration'].includes(k0)) throw new CelEvalError(`list elements must be comparable, got ${typeName(keyed[0][1])}`, at);
  for (const [, k] of keyed) if (kind(k) !== k0) throw new CelEvalError('list elements must have the same type', at);
  return keyed
    .map((x, i) => [x, i] as const)
    .sort((a, b) => compareForSort(a[0][1], b[0][1]) || a[1] - b[1])
    .map(([x]) => x[0]);
}

function compareForSort(a: Value, b: Value): number {
  return compare(a, b, 'sort');
}

function nsName(e: Expr): string | undefined {
  if (e.k === 'ident') return e.name.replace(/^\./, '');
  if (e.k === 'select' && !e.test && !e.opt) {
    const o = nsName(e.operand);
    return o === undefined ? undefined : `${o}.${e.field}`;
  }
  return undefined;
}

function plainIfStringKeys(m: CelMap): Value {
  for (const [k] of m.entries.values()) if (typeof k !== 'string') return m;
  const o: Record<string, unknown> = Object.create(null);
  for (const [k, v] of m.entries.values()) o[k as string] = v;
  return o;
}

export function hasField(o: Value, field: string, at: number): boolean {
  // A JSON object's null field is absent, as the API server decodes it (typed objects drop nulls)
  if (typeof o === 'object' && o !== null && Object.getPrototypeOf(o) === Object.prototype) return hasOwn.call(o, field) && (o as Record<string, unknown>)[field] != null;
  if (o instanceof CelOptional) return o.hasValue() ? hasField(o.value!, field, at) : false;
  if (isLazyMap(o)) return o.has(field);
  const k = kind(o);
  if (k === 'map') return mapGet(o, field) !== undefined;
  throw new CelEvalError(`invalid type for field selection: ${typeName(o)}`, at);
}

const hasOwn = Object.prototype.hasOwnProperty;

export function selectField(o: Value, field: string, opt: boolean, at: number): Value {
  if (!opt && typeof o === 'object' && o !== null && Object.getPrototypeOf(o) === Object.prototype) {
    // fast path: a JSON object (a null field is absent, as the API server decodes it)
    if (hasOwn.call(o, field)) {
      const v = (o as Record<string, unknown>)[field];
      if (v != null) return v as Value;
    }
    throw new CelEvalError(`no such key: ${field}`, at);
  }
  if (o instanceof CelOptional) {
    if (!o.hasValue()) return CelOptional.NONE;
    return toOptional(() => selectField(o.value!, field, false, at), o.value!, field);
  }
  if (opt) return toOptional(() => selectField(o, field, false, at), o, field);
  if (isLazyMap(o)) {
    const v = o.get(field);
    if (v === undefined) throw new CelEvalError(`no such key: ${field}`, at);
    return v;
  }
  const k = kind(o);
  if (k === 'map') {
    const v = mapGet(o, field);
    if (v === undefined) throw new CelEvalError(`no such key: ${field}`, at);
    return v as Value;
  }
  if (k === 'object') {
    const f = (o as unknown as { celField?: (n: string) => Value | undefined }).celField?.(field);
    if (f !== undefined) return f;
  }
  throw new CelEvalError(`type '${typeName(o)}' does not support field selection`, at);
}

function toOptional(sel: () => Value, o: Value, field: string): CelOptional {
  if (isLazyMap(o)) return o.has(field) ? CelOptional.of(o.get(field)!) : CelOptional.NONE;
  if (kind(o) === 'map') {
    const v = mapGet(o, field);
    return v === undefined ? CelOptional.NONE : CelOptional.of(v);
  }
  return CelOptional.of(sel());
}

export function indexValue(o: Value, i: Value, opt: boolean, at: number): Value {
  if (o instanceof CelOptional) {
    if (!o.hasValue()) return CelOptional.NONE;
    return indexValue(o.value!, i, true, at);
  }
  const k = kind(o);
  if (k === 'list') {
    const l = o as readonly Value[];
    const ik = kind(i);
    let n: number;
    if (ik === 'int') n = Number(big(i));
    else if (ik === 'uint') n = Number((i as CelUint).v);
    else if (ik === 'double' && Number.isInteger(num(i))) n = num(i);
    else {
      if (opt) return CelOptional.NONE;
      throw new CelEvalError(`unsupported index type '${typeName(i)}' in list`, at);
    }
    if (n < 0 || n >= l.length) {
      if (opt) return CelOptional.NONE;
      throw new CelEvalError(`index out of range: ${n}`, at);
    }
    return opt ? CelOptional.of(l[n]) : l[n];
  }
  if (k === 'map' || isLazyMap(o)) {
    const v = isLazyMap(o) ? (typeof i === 'string' ? o.get(i) : undefined) : mapGet(o, i);
    if (opt) return v === undefined ? CelOptional.NONE : CelOptional.of(v);
    if (v === undefined) throw new CelEvalError('no such key', at);
    return v;
  }
  throw new CelEvalError(`type '${typeName(o)}' does not support indexing`, at);
}

export { equals };
