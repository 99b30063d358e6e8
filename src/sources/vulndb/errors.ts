/** Typed errors of the vulnerability database. */
import { KubeguardError } from '../../core/errors.js';

/** No database at the path: the user has to import or update first. */
export class VulnDbMissingError extends KubeguardError {
  constructor(readonly path: string) {
    super(`no vulnerability database at ${path}: run \`kubeguard db update\` (or \`kubeguard db import PATH\` when offline)`);
  }
}

/** The file exists but is not a readable kubeguard vulnerability database. */
export class VulnDbCorruptError extends KubeguardError {
  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`vulnerability database ${path} is corrupt or not a kubeguard database (${detail}); rebuild it with \`kubeguard db update\` or \`kubeguard db import --replace PATH\``, options);
  }
}

/** A database without a single advisory: scanning with it would call every package clean. */
export class VulnDbEmptyError extends KubeguardError {
  constructor(readonly path: string) {
    super(`vulnerability database ${path} holds no advisories, so nothing could be evaluated with it; import OSV data (\`kubeguard db update\` or \`kubeguard db import PATH\`)`);
  }
}

/** An import or update that failed; the previous database (if any) is untouched. */
export class VulnDbImportError extends KubeguardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message} (the previous database, if any, is unchanged)`, options);
  }
}
