/** Plain JSON objects, as parsed manifests and API responses are made of. */
export type JsonMap = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isJsonMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
