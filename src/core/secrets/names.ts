/**
 * Secret-like names (environment variables, ConfigMap keys, Dockerfile ENV/ARG).
 *
 * A name is split into lower-case words (snake, kebab, dot and camelCase). It is secret-like when it contains a
 * credential word (password, token, secret, …) or a qualified key (api key, private key, access key …), unless its
 * last word says it only *refers* to a secret (PASSWORD_FILE, SECRET_NAME, TOKEN_URL, ACCESS_KEY_ID).
 *
 * Upstream semantics this generalises: Polaris `sensitiveContainerEnvVar` / `sensitiveConfigmapContent`
 * (names matching password, token, bearer, secret, AWS_SECRET_ACCESS_KEY, AZURE_.+KEY, OCI_CLI_KEY_CONTENT,
 * https://github.com/FairwindsOps/polaris/blob/master/pkg/config/checks/sensitiveContainerEnvVar.yaml) and Docker's
 * build check SecretsUsedInArgOrEnv (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/).
 */

/** Words that alone make a name secret-like. */
const CREDENTIAL_WORDS = new Set([
  'password', 'passwd', 'passwords', 'pwd', 'passphrase', 'pword',
  'secret', 'secrets',
  'token', 'tokens', 'bearer',
  'credential', 'credentials', 'creds',
  'apikey', 'privatekey', 'secretkey', 'accesskey', 'authtoken', 'apitoken', 'accesstoken',
  'dbpass', 'sasl', 'htpasswd',
]);

/**
 * Qualifiers that turn the word "key" into a secret: API key, private key, AZURE_BATCH_KEY…
 * (Not gpg/pgp: GPG_KEY in official images is a public key fingerprint.)
 */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'secret', 'access', 'signing', 'encryption', 'master', 'account', 'storage', 'batch', 'client',
  'shared', 'auth', 'session', 'hmac', 'crypto', 'ssh', 'jwt', 'app', 'service', 'subscription',
  'primary', 'secondary', 'admin', 'sas', 'webhook', 'license', 'cli', 'tls', 'ssl', 'rsa', 'ecdsa', 'ed25519',
  'decryption', 'cookie', 'csrf', 'oauth', 'consumer', 'sendgrid', 'stripe', 'twilio', 'mailgun', 'azure',
]);

/** Qualifiers that make "key" something public or structural: PUBLIC_KEY, CACHE_KEY, PARTITION_KEY, S3_OBJECT_KEY. */
const NON_SECRET_KEY_QUALIFIERS = new Set(['public', 'gpg', 'pgp', 'cache', 'sort', 'partition', 'foreign', 'routing', 'lookup', 'idempotency', 'object', 'map', 'dedup', 'hash', 'host']);

/** Words after "key" that still denote the key material itself (OCI_CLI_KEY_CONTENT). */
const KEY_MATERIAL_SUFFIX = new Set(['content', 'contents', 'data', 'material', 'value', 'pem', 'base64', 'b64']);

/** A basic-auth style pair: BASIC_AUTH, PROXY_AUTH. */
const AUTH_QUALIFIERS = new Set(['basic', 'proxy', 'http']);

/**
 * Last words that make a name a *reference* to a secret, or metadata about it, rather than the secret.
 * e.g. PASSWORD_FILE, SECRET_NAME, TOKEN_URL, ACCESS_KEY_ID, TOKEN_TTL, PASSWORD_MIN_LENGTH.
 */
const REFERENCE_SUFFIX = new Set([
  'file', 'files', 'path', 'paths', 'dir', 'directory', 'name', 'names', 'ref', 'reference', 'url', 'uri', 'endpoint',
  'id', 'arn', 'location', 'mount', 'env', 'type', 'kind', 'length', 'len', 'min', 'max', 'size', 'ttl', 'expiry',
  'expiration', 'expires', 'lifetime', 'timeout', 'duration', 'header', 'audience', 'issuer', 'algorithm', 'alg',
  'policy', 'enabled', 'enable', 'disabled', 'required', 'rotation', 'version', 'format', 'field', 'provider',
  'source', 'store', 'vault', 'namespace', 'keyring', 'secretname', 'hash', 'count', 'interval', 'mode', 'method',
  'prefix', 'scope', 'scopes', 'user', 'username', 'label', 'selector', 'placeholder', 'hint', 'regex', 'pattern',
  'seconds', 'secs', 'sec', 'minutes', 'mins', 'hours', 'days', 'ms', 'retries', 'attempts', 'strength', 'complexity',
  'limit', 'threshold', 'level', 'port', 'host', 'hostname', 'address', 'addr', 'rounds', 'iterations', 'cost',
]);

const MAX_NAME_LENGTH = 256;

/** Splits a name into lower-case words: "dbPassword" → db, password; "AWS_SECRET_ACCESS_KEY" → aws, secret, access, key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Whether a name (env var, key, ARG) looks like it holds a secret. */
export function isSecretLikeName(name: string): boolean {
  // Real names are short (Kubernetes keys ≤ 253 chars); longer "names" are text, and the splitter is not linear.
  if (name.length > MAX_NAME_LENGTH) return false;
  const words = nameWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (REFERENCE_SUFFIX.has(last)) return false;
  // Well-known single names that are credentials without a credential word.
  const joined = words.join('_');
  if (joined === 'google_application_credentials_json' || joined === 'oci_cli_key_content') return true;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (CREDENTIAL_WORDS.has(w)) return true;
    if (w === 'key' || w === 'keys') {
      const prev = words[i - 1];
      const next = words[i + 1];
      if (prev !== undefined && NON_SECRET_KEY_QUALIFIERS.has(prev)) continue;
      if (prev !== undefined && KEY_QUALIFIERS.has(prev)) return true;
      if (next !== undefined && KEY_MATERIAL_SUFFIX.has(next)) return true;
    }
    if (w === 'auth' && i > 0 && AUTH_QUALIFIERS.has(words[i - 1])) return true;
    if (w === 'pass' && (i === words.length - 1 || words[i + 1] === 'word')) return true;
  }
  return false;
}
