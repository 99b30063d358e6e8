/** JSON schemas shared by routes: they validate requests and make the OpenAPI document. */
export const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

export const resourceRef = {
  type: 'object',
  properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } },
  required: ['apiVersion', 'kind', 'name'],
} as const;

export const authErrors = { 401: errorBody, 403: errorBody } as const;

/** A filter that takes a comma-separated list or repeats (a single value is coerced to a list). */
export const listQuery = { type: 'array', items: { type: 'string', maxLength: 4096 } } as const;

/** The findings filters, shared by every route that takes them (lists, counts, trends, time to fix). */
export const findingFilters = {
  cluster: listQuery,
  namespace: listQuery,
  ruleId: listQuery,
  severity: listQuery,
  status: listQuery,
  source: listQuery,
  kind: listQuery,
  name: listQuery,
  since: { type: 'string', description: 'first seen at or after (ISO 8601): new since' },
  fixedSince: { type: 'string', description: 'fixed at or after (ISO 8601)' },
  q: { type: 'string', maxLength: 200, description: "text in the object's name or namespace, the rule id or the message (case-insensitive)" },
} as const;
