/** Typed errors of the cluster source: an API status (with the server's Status object) or a transport failure. */
import { KubeguardError } from '../../core/errors.js';

/** A non-2xx answer of the API server, with the message of its `kind: Status` body when it sent one. */
export class ApiStatusError extends KubeguardError {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The request never got an answer (connection refused, TLS failure, timeout). */
export class ApiTransportError extends KubeguardError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
