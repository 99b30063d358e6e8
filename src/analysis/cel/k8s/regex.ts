/** Kubernetes' regex CEL library (k8s.io/apiserver/pkg/cel/library/regex.go): find, findAll with RE2 semantics. */
import { big, kind } from '../ops.js';
import type { Value } from '../values.js';
import { actualSize, method, overloadError, type Table } from '../std/define.js';
import type { Matcher } from '../regex.js';

export function registerRegex(t: Table, regex: (pattern: string) => Matcher): void {
  const cost = ([s, p]: Value[]): number => Math.ceil((1 + actualSize(s)) * 0.1) * Math.ceil(actualSize(p) * 0.25);
  method(t, 'find', 1, (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? regex(a[1]).find(a[0]) : overloadError('find', a)), cost);
  method(t, 'findAll', 1, (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? regex(a[1]).findAll(a[0], -1) : overloadError('findAll', a)), cost);
  method(t, 'findAll', 2, (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' && kind(a[2]) === 'int' ? regex(a[1]).findAll(a[0], Number(big(a[2]))) : overloadError('findAll', a)), cost);
}
