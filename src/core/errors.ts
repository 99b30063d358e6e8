/** Typed errors. Each carries what a user needs to find the problem, and the cause. */

export class KubeguardError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ManifestParseError extends KubeguardError {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class RuleExecutionError extends KubeguardError {
  constructor(
    message: string,
    readonly ruleId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad flags, bad config: exit code 2. */
export class UsageError extends KubeguardError {}

export class ConfigError extends UsageError {
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class SourceError extends KubeguardError {
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
