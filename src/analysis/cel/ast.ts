/** The CEL syntax tree after macro expansion. `at` is the source offset, used in error messages. */
import type { Value } from './values.js';

export type Expr =
  | { k: 'lit'; at: number; v: Value }
  | { k: 'ident'; at: number; name: string }
  /** `a.f`; `test` for has(a.f); `opt` for a.?f */
  | { k: 'select'; at: number; operand: Expr; field: string; test?: boolean; opt?: boolean }
  /** `a[i]`, or `a[?i]` when opt */
  | { k: 'index'; at: number; operand: Expr; index: Expr; opt?: boolean }
  | { k: 'call'; at: number; fn: string; target?: Expr; args: Expr[] }
  | { k: 'list'; at: number; elems: Expr[]; opt: boolean[] }
  | { k: 'map'; at: number; entries: Array<{ key: Expr; value: Expr; opt: boolean }> }
  | { k: 'struct'; at: number; type: string; fields: Array<{ name: string; value: Expr; opt: boolean }> }
  | { k: 'and' | 'or'; at: number; left: Expr; right: Expr }
  | { k: 'cond'; at: number; test: Expr; then: Expr; else: Expr }
  | { k: 'comp'; at: number; macro: Comprehension }
  | { k: 'bind'; at: number; name: string; init: Expr; body: Expr };

/**
 * Macros kept as what they mean rather than as generic folds (same semantics as cel-go's expansions,
 * evaluated directly): all/exists/existsOne (one or two variables), map/filter, transformList/Map/MapEntry,
 * optMap/optFlatMap and sortBy.
 */
export interface Comprehension {
  kind: 'all' | 'exists' | 'existsOne' | 'map' | 'filter' | 'transformList' | 'transformMap' | 'transformMapEntry' | 'optMap' | 'optFlatMap' | 'sortBy';
  range: Expr;
  v1: string;
  /** second variable of two-variable comprehensions (value; v1 is then the index or key) */
  v2?: string;
  filter?: Expr;
  body: Expr;
}
