/** The contract every version scheme implements. Pure functions, no I/O. */

export class InvalidVersionError extends Error {
  constructor(
    readonly scheme: string,
    readonly version: string,
  ) {
    super(`invalid ${scheme} version: ${JSON.stringify(version)}`);
    this.name = 'InvalidVersionError';
  }
}

export interface VersionScheme {
  /** Short name, e.g. "dpkg", "apk", "rpm", "npm", "semver", "go", "pep440", "maven". */
  readonly name: string;
  /** True when the string is a version this scheme can order. */
  isValid(version: string): boolean;
  /**
   * Sign of a − b: negative, 0 or positive. Throws `InvalidVersionError` when either side is not valid
   * (schemes that order every string, like dpkg's and rpm's comparison, never throw).
   */
  compare(a: string, b: string): number;
}

export function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
