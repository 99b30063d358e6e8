/**
 * The public face of the CEL engine: an environment (function table), compiled programs (cached by
 * expression text), and evaluation with a cost budget. Pure: no I/O.
 */
import { parse } from './parser.js';
import { Compiler, type Activation, type EvalState, type FunctionTable } from './interpret.js';
import { CelError } from './errors.js';
import { BoundedMap } from '../../core/bounded-map.js';
import type { Value } from './values.js';

const NO_LOCALS: Value[] = [];

/** Kubernetes' per-expression runtime cost limit (celconfig.PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;

export interface Program {
  readonly expression: string;
  /** Evaluates; throws CelError (kind eval or cost). `budget.cost` accumulates across calls sharing it. */
  eval(vars: Activation, budget?: CostBudget): Value;
}

/** A running total shared by the expressions of one evaluation (Kubernetes' per-binding budget). */
export interface CostBudget {
  used: number;
  /** total allowed across the evaluations sharing this budget */
  limit: number;
}

export class CelEnvironment {
  private readonly cache = new BoundedMap<string, Program | CelError>(10_000);
  constructor(
    readonly functions: FunctionTable,
    private readonly perCallLimit = PER_CALL_LIMIT,
  ) {}

  /** Parses and compiles once per expression text; throws CelError(kind 'parse') for bad syntax. */
  compile(expression: string): Program {
    const hit = this.cache.get(expression);
    if (hit instanceof CelError) throw hit;
    if (hit) return hit;
    let out: Program | CelError;
    try {
      out = this.build(expression);
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      out = e;
    }
    this.cache.set(expression, out);
    if (out instanceof CelError) throw out;
    return out;
  }

  private build(expression: string): Program {
    const ast = parse(expression);
    const compiler = new Compiler(this.functions);
    const node = compiler.compile(ast);
    const slots = compiler.slotCount;
    const perCall = this.perCallLimit;
    return {
      expression,
      eval(vars: Activation, budget?: CostBudget): Value {
        const limit = budget ? Math.min(perCall, budget.limit - budget.used) : perCall;
        const st: EvalState = { cost: 0, limit, locals: slots ? new Array(slots) : NO_LOCALS, vars };
        try {
          return node(st);
        } finally {
          if (budget) budget.used += st.cost;
        }
      },
    };
  }
}

/** An activation over a plain record of variables. */
export function activation(vars: Record<string, Value | undefined>): Activation {
  return { get: (n) => (Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : undefined) };
}
