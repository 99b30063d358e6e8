/**
 * CEL errors. Messages never quote the evaluated data (objects may hold secrets): they name the
 * function, the types involved and the offset in the expression.
 */
export type CelErrorKind = 'parse' | 'compile' | 'eval' | 'cost';

export class CelError extends Error {
  constructor(
    readonly kind: CelErrorKind,
    message: string,
    /** offset in the expression text */
    readonly at?: number,
  ) {
    super(message);
    this.name = 'CelError';
  }
}

export class CelParseError extends CelError {
  constructor(message: string, at: number) {
    super('parse', message, at);
  }
}

/** An evaluation error. Thrown inside the interpreter; `&&`, `||` and the macros absorb it as CEL says. */
export class CelEvalError extends CelError {
  constructor(message: string, at?: number) {
    super('eval', message, at);
  }
}

/** The cost budget ran out: reported as such, never as a denial or a pass. */
export class CelCostError extends CelError {
  constructor(
    message: string,
    readonly limit: number,
  ) {
    super('cost', message);
  }
}

export function noSuchOverload(fn: string, ...types: string[]): CelEvalError {
  return new CelEvalError(`no such overload: ${fn}(${types.join(', ')})`);
}
