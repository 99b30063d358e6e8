/**
 * Drift shows values (the contract's `manifest` and `live`), so secrets are taken out first: an env var with a
 * secret-like name or a secret-like value, and any string in a known secret format, become "<redacted, N chars>".
 * Secret objects never get here with values (their data is compared as keyed hashes, sources/cluster/sanitize.ts).
 */
import { isJsonMap } from '../../core/json.js';
import { isSecretLikeName, matchSecretFormat, redact, secretValueKind } from '../../core/secrets/index.js';

export function secretSafe(v: unknown, depth = 0): unknown {
  if (depth > 64) return v;
  if (typeof v === 'string') return matchSecretFormat(v) ? redact(v) : v;
  if (Array.isArray(v)) return v.map((x) => secretSafe(x, depth + 1));
  if (!isJsonMap(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = secretSafe(x, depth + 1);
  // an env var (or any name/value pair)
  if (typeof v.name === 'string' && typeof v.value === 'string' && (isSecretLikeName(v.name) || secretValueKind(v.value, { name: v.name }) !== undefined)) out.value = redact(v.value);
  return out;
}
