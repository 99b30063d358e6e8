/** Trust cannot be established from what was given: the check could not be evaluated (exit 3, never "verified"). */
export class TrustError extends Error {}
