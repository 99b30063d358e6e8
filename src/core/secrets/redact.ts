/**
 * Redaction helpers: a finding about a secret shows where it is, never what it is (not even a prefix).
 */

/** A secret-free stand-in for a value: "<redacted, 24 chars>". */
export function redact(value: string): string {
  const n = [...value].length;
  return `<redacted, ${n} char${n === 1 ? '' : 's'}>`;
}

/** Evidence for a name/value pair: "DB_PASSWORD=<redacted, 12 chars>". The name is kept, the value never. */
export function redactedPair(name: string, value: string, separator = '='): string {
  return `${name}${separator}${redact(value)}`;
}
