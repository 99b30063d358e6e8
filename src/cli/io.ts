/** Terminal and file I/O shared by commands. */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

export function useColor(explicit?: boolean): boolean {
  if (explicit === false || process.env.NO_COLOR) return false;
  return Boolean(process.stdout.isTTY) || Boolean(process.env.FORCE_COLOR);
}

export function writeOutput(text: string, file?: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

/** Progress and notes go to stderr so stdout stays machine-readable. */
export function note(message: string, quiet = false): void {
  if (!quiet) process.stderr.write(message + '\n');
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
