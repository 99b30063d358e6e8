/**
 * Shannon entropy of strings, in bits per character, and the high-entropy test used for secret values.
 * Thresholds follow truffleHog's classic scanner (base64 charset ≥ 4.5 bits over ≥ 20 chars, hex ≥ 3.0),
 * relaxed for short base64 strings whose maximum attainable entropy is log2(length):
 * https://github.com/trufflesecurity/truffleHog/blob/v2.2.1/truffleHog/truffleHog.py
 */

export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64ISH = /^[A-Za-z0-9+/=_\-.~]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const MIN_HIGH_ENTROPY_LENGTH = 20;

/**
 * Whether one whitespace-free token looks like random key material: hex of ≥ 32 chars with ≥ 3.0 bits/char,
 * or a base64/url-safe string of ≥ 20 chars that mixes letters and digits with entropy near the maximum
 * attainable for its length. UUIDs (identifiers) and dotted words are not.
 */
export function isHighEntropyToken(token: string): boolean {
  if (token.length < MIN_HIGH_ENTROPY_LENGTH || token.length > 4096) return false;
  if (UUID.test(token)) return false;
  if (HEX.test(token)) return token.length >= 32 && shannonEntropy(token) >= 3.0;
  if (!BASE64ISH.test(token)) return false;
  if (!/[0-9]/.test(token) || !/[A-Za-z]/.test(token)) return false;
  // Versions (v1.2.3-rc.1+build.5), hostnames and package names are dotted words, not keys.
  if (/^v?\d+(\.\d+)+([-+.][0-9A-Za-z.+-]*)?$/.test(token)) return false;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(token) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(token)) return false;
  const threshold = Math.min(4.5, Math.log2(token.length) - 0.7);
  return shannonEntropy(token) >= threshold;
}
