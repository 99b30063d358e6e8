/** Outcomes of use cases that adapters turn into answers (HTTP 404, 409, 403; CLI exit 2). */
import { KubeguardError } from '../core/errors.js';

export class NotFoundError extends KubeguardError {}
export class ConflictError extends KubeguardError {}
export class ForbiddenError extends KubeguardError {}
/** The work asked for is running already as often as allowed: ask again after `retryAfterSeconds` (HTTP 429). */
export class BusyError extends KubeguardError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
/** The work asked for ran over its time or memory budget and was stopped (HTTP 422). */
export class BudgetError extends KubeguardError {}
