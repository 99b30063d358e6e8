/**
 * Secret-like values: the formats of the one catalogue (catalogue.ts: private keys, issuers' token formats,
 * credentials in URLs, authorization headers), then high-entropy strings. Returns *what kind* of secret a value
 * looks like, never the value.
 */
import { isHighEntropyToken } from './entropy.js';
import { isSecretLikeName } from './names.js';
import { matchSecretFormat } from './catalogue.js';
import type { SecretFormatKind } from './catalogue.js';

export type SecretValueKind = SecretFormatKind | 'high-entropy string';

/** A value that only refers to something else: $(VAR), ${VAR}, {{ .Values.x }}, <placeholder>. */
export function isReferenceValue(value: string): boolean {
  const v = value.trim();
  return /^\$\(?\{?[A-Za-z_][A-Za-z0-9_]*\}?\)?$/.test(v) || /^\{\{.*\}\}$/.test(v) || /^<[^<>]*>$/.test(v) || /^\$\{[^}]+\}$/.test(v);
}

/**
 * Name words saying the value is a checksum, revision or identifier: a long hex string there is not a secret
 * (GIT_COMMIT, IMAGE_DIGEST, SHA256SUM, BUILD_ID, a Grafana dashboard's "uid"), even under a secret-like name
 * (PASSWORD_SHA256).
 */
const NON_SECRET_HEX_CONTEXT = /(^|[^a-z])(sha\d*|sha\d*sum|md5|gpg|pgp|checksum|digest|hash|commit|revision|rev|ref|version|build|fingerprint|etag|uuid|guid|uid|id)($|[^a-z])/i;

/**
 * Whether a hex token is key material. Hex strings, like UUIDs and digests, are the shape of identifiers and
 * hashes (dashboard uids, commit ids, checksums, cache keys) far more often than of credentials; the vendors' hex
 * credentials are known by the name they are assigned to (api_key: <32 hex>). So hex counts only under a
 * secret-like name that is not a checksum's.
 */
function hexMayBeSecret(name: string | undefined): boolean {
  return name !== undefined && isSecretLikeName(name) && !NON_SECRET_HEX_CONTEXT.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/** Public material that looks random but is not secret: PEM certificates/public keys and SSH public keys. */
const PUBLIC_PEM = /-----BEGIN ((?!PRIVATE|ENCRYPTED)[A-Z0-9 ]+)-----[\s\S]*?(-----END \1-----|$)/g;
const SSH_PUBLIC_KEY = /\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA[0-9A-Za-z+/=]+/g;

/** Content-addressed digests (sha256:…) and Subresource Integrity values (sha512-<base64>) are public identifiers, not secrets. */
const DIGEST = /\b(?:sha256|sha384|sha512|sha1|md5):[0-9a-fA-F]{32,}\b|\bsha(?:256|384|512)-[A-Za-z0-9+/]{40,}={0,2}/g;

/** Values longer than this are examined only up to it (bounded time on multi-megabyte ConfigMap values). */
export const MAX_SCANNED = 256 * 1024;

export interface ValueContext {
  /** The name the value is assigned to, when known; used only to avoid calling checksums secrets. */
  name?: string;
}

const URL = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i;
const PATH_LIKE = /^(\/|\.{1,2}\/|~\/|[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/)/i;

/**
 * The pieces of a value that could be key material. URLs and paths are split: their path segments are identifiers
 * (a 40-hex commit in a download URL is not a secret) unless they are mixed-case base64-like, while query-string
 * values (`?sig=…`, `?token=…`) are candidates. Other words are split at `=` and `:` (key=value, user:pass).
 */
function candidateTokens(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(/[\s"'`,;()[\]{}<>]+/)) {
    if (raw === '') continue;
    const url = URL.exec(raw);
    if (url || PATH_LIKE.test(raw)) {
      const path = url ? url[2] : raw;
      for (const seg of path.split('/')) if (!/^[0-9a-fA-F]*$/.test(seg)) out.push(seg);
      for (const pair of (url?.[3] ?? '').split('&')) {
        const eq = pair.indexOf('=');
        if (eq >= 0) out.push(decodeURIComponentSafe(pair.slice(eq + 1)));
      }
      continue;
    }
    out.push(...raw.split(/[=:]+/));
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The kind of secret a value looks like, or undefined. Scans every whitespace-separated token. */
export function secretValueKind(whole: string, context: ValueContext = {}): SecretValueKind | undefined {
  if (whole.length === 0) return undefined;
  // Bounded work on huge values: only the first MAX_SCANNED characters are examined.
  const value = whole.length > MAX_SCANNED ? whole.slice(0, MAX_SCANNED) : whole;
  const format = matchSecretFormat(value);
  if (format) return format.kind;
  const hexIsIdentifier = !hexMayBeSecret(context.name);
  const scanned = value.replace(PUBLIC_PEM, ' ').replace(SSH_PUBLIC_KEY, ' ').replace(DIGEST, ' ');
  for (const token of candidateTokens(scanned)) {
    if (hexIsIdentifier && /^[0-9a-fA-F]+$/.test(token)) continue;
    if (isHighEntropyToken(token)) return 'high-entropy string';
  }
  return undefined;
}
