/**
 * The one catalogue of secret formats: every detector (manifest values, ConfigMap content, image files and image
 * config) matches these and nothing else, so a format is added, fixed or tuned in one place. Each entry cites
 * where its shape comes from: the issuer's documentation where it publishes the format, else the gitleaks
 * default rule of the same name (https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml).
 *
 * Patterns are linear-time (no nested quantifiers) and carry no `g` flag (callers use `exec` from the start).
 * A match says *what kind* of secret is there and where; callers never print the matched text.
 */

export type SecretFormatKind =
  | 'private key'
  | 'AWS access key id'
  | 'AWS secret access key'
  | 'GitHub token'
  | 'GitLab token'
  | 'Slack token'
  | 'Slack webhook URL'
  | 'Google API key'
  | 'GCP service account key'
  | 'Stripe secret key'
  | 'npm token'
  | 'registry credentials'
  | 'JSON web token'
  | 'authorization header value'
  | 'credential in URL';

export interface SecretFormat {
  kind: SecretFormatKind;
  pattern: RegExp;
  /** Where the shape is defined. */
  source: string;
  /** Rejects a match that is a placeholder rather than a secret (e.g. `${PASSWORD}` in a URL). */
  accept?: (match: RegExpExecArray) => boolean;
}

const GITLEAKS = 'https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml';

/** A placeholder, not a value: $VAR, ${VAR}, {{ .Values.x }}, <password>, ***. */
const PLACEHOLDER = /^\$|^\{\{|^<|^\*+$/;

export const SECRET_FORMATS: readonly SecretFormat[] = [
  // Any PEM private key ("RSA", "EC", "OPENSSH", "ENCRYPTED", PKCS#8 without a type…); Polaris matches '-BEGIN\s+.*PRIVATE KEY-'.
  { kind: 'private key', pattern: /-BEGIN\s[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-/i, source: 'https://www.rfc-editor.org/rfc/rfc7468#section-10' },
  // Unique identifier prefixes: AKIA (access key), ASIA (temporary), ABIA (STS service bearer), ACCA (context-specific), A3T.
  {
    kind: 'AWS access key id',
    pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/,
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
  },
  // The secret key has no prefix: only its assignment to the name AWS's tools use identifies it (40 characters).
  {
    kind: 'AWS secret access key',
    pattern: /aws_secret_access_key["']?\s*[=:]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/i,
    source: 'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html',
  },
  // Classic tokens ghp_/gho_/ghu_/ghs_/ghr_ + 36 alphanumerics; fine-grained github_pat_ + 82 word characters.
  {
    kind: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\b/,
    source: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/',
  },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/, source: 'https://docs.gitlab.com/security/tokens/#token-prefixes' },
  { kind: 'Slack token', pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}\b/, source: 'https://api.slack.com/concepts/token-types' },
  { kind: 'Slack webhook URL', pattern: /\bhooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/, source: 'https://api.slack.com/messaging/webhooks' },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, source: `${GITLEAKS} (gcp-api-key)` },
  // A service-account key file: its private_key_id is 40 hex characters.
  {
    kind: 'GCP service account key',
    pattern: /"private_key_id"\s*:\s*"[a-f0-9]{40}"/,
    source: 'https://cloud.google.com/iam/docs/keys-create-delete#creating',
  },
  // Live secret and restricted keys (test-mode keys grant nothing in production).
  { kind: 'Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{10,99}\b/, source: 'https://docs.stripe.com/keys' },
  // Granular/automation tokens npm_ + 36; and an .npmrc auth token assignment.
  {
    kind: 'npm token',
    pattern: /(?:\b_authToken\s*=\s*[^\s$]\S{19,}|\bnpm_[A-Za-z0-9]{36}\b)/,
    source: 'https://docs.npmjs.com/about-access-tokens',
  },
  // Docker config.json "auth": base64(user:password).
  {
    kind: 'registry credentials',
    pattern: /"auth"\s*:\s*"[A-Za-z0-9+/]{8,}={0,2}"/,
    source: 'https://github.com/docker/cli/blob/master/man/docker-config-json.5.md',
  },
  { kind: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, source: 'https://www.rfc-editor.org/rfc/rfc7519#section-3' },
  // "Bearer <token>" / "Basic <base64>", any case; the credential must contain a digit or token punctuation, so
  // "basic authentication" is prose, not a header.
  {
    kind: 'authorization header value',
    pattern: /\b(?:bearer|basic)\s+(?=[A-Za-z._~+/-]*[0-9._~+/=-])[A-Za-z0-9._~+/-]{6,}=*(?![A-Za-z0-9._~+/=-])/i,
    source: 'https://www.rfc-editor.org/rfc/rfc6750#section-2.1 and https://www.rfc-editor.org/rfc/rfc7617#section-2',
  },
  // scheme://[user]:password@host — a password in the authority part (redis://:pw@host has no user).
  {
    kind: 'credential in URL',
    pattern: /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/:@]{0,256}:([^\s/@]{1,256})@[^\s/]/i,
    source: 'https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1',
    accept: (m) => m[1] === undefined || !PLACEHOLDER.test(m[1]),
  },
];

/** The first format a text matches (in catalogue order), with where it starts. */
export function matchSecretFormat(text: string): { kind: SecretFormatKind; index: number } | undefined {
  for (const f of SECRET_FORMATS) {
    const m = f.pattern.exec(text);
    if (m && (!f.accept || f.accept(m))) return { kind: f.kind, index: m.index };
  }
  return undefined;
}

/** Every format a text matches, once each, with where its first match starts. */
export function matchSecretFormats(text: string): { kind: SecretFormatKind; index: number }[] {
  const out: { kind: SecretFormatKind; index: number }[] = [];
  for (const f of SECRET_FORMATS) {
    const m = f.pattern.exec(text);
    if (m && (!f.accept || f.accept(m))) out.push({ kind: f.kind, index: m.index });
  }
  return out;
}
