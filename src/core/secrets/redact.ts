/**
 * Redaction helpers: a finding about a secret shows where it is, never what it is (not even a prefix).
 */

/** A secret-free stand-in for a value: "<redacted, 24 chars>". */
export function redact(value: string): string {
  const n = codePoints(value);
  return `<redacted, ${n} char${n === 1 ? '' : 's'}>`;
}

/** Characters (code points) of a string, counted in one pass without copying it (a value may be 50 MB). */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Evidence for a name/value pair: "DB_PASSWORD=<redacted, 12 chars>". The name is kept, the value never. */
export function redactedPair(name: string, value: string, separator = '='): string {
  return `${name}${separator}${redact(value)}`;
}
