/**
 * Secrets left in image layers and config. Patterns follow well-known token formats (the same families
 * gitleaks and Trivy's secret scanner ship: private-key PEM armour, AWS access key ids, GitHub, Slack,
 * Stripe, Google API keys, npm tokens). Only where a secret is is ever reported: values are never copied.
 */
export interface LayerFile {
  path: string;
  layer: number;
  content: Buffer;
}

export interface SecretHit {
  kind: string;
  path: string;
  layer: number;
  line: number;
}

const CANDIDATE_NAMES = new Set([
  'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', '.env', 'credentials', '.npmrc', '.pypirc', '.git-credentials',
  '.netrc', '.dockercfg', '.pgpass', 'secrets.json', 'secrets.yaml', 'secrets.yml', 'application.properties',
  'settings.xml', 'service-account.json', 'sa.json',
]);
const CANDIDATE_EXT = new Set(['pem', 'key', 'p8', 'env', 'pfx', 'ppk', 'tfvars']);
const EXCLUDED_DIRS = ['/usr/share/ca-certificates/', '/etc/ssl/certs/', '/usr/share/doc/', '/usr/share/zoneinfo/', '/proc/', '/sys/'];
const MAX_CANDIDATE = 1024 * 1024;

/** Bytes to keep of a layer file for the secret scan (0 = not a candidate). */
export function secretCandidateLimit(path: string, size: number): number {
  if (size > MAX_CANDIDATE || size === 0) return 0;
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const candidate =
    CANDIDATE_NAMES.has(path.slice(slash + 1)) || (dot > slash && CANDIDATE_EXT.has(path.slice(dot + 1))) || path.endsWith('/.docker/config.json');
  return candidate && !EXCLUDED_DIRS.some((d) => path.startsWith(d)) ? MAX_CANDIDATE : 0;
}

const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'AWS secret access key', re: /aws_secret_access_key\s*[=:]\s*[A-Za-z0-9/+]{40}\b/i },
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { kind: 'Slack token', re: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Stripe secret key', re: /\b[sr]k_live_[0-9A-Za-z]{24,}\b/ },
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'GCP service account key', re: /"private_key_id"\s*:\s*"[a-f0-9]{40}"/ },
  { kind: 'npm token', re: /(?:_authToken\s*=\s*\S{20,}|\bnpm_[A-Za-z0-9]{36}\b)/ },
  { kind: 'registry credentials', re: /"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"/ },
  { kind: 'password in URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s:@/]{3,}@[^\s/]+/i },
];

/** Scans text for secrets; returns kind and 1-based line per hit (first hit per kind per file). */
export function scanText(text: string): { kind: string; line: number }[] {
  const out: { kind: string; line: number }[] = [];
  for (const { kind, re } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    let line = 1;
    for (let i = 0; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    out.push({ kind, line });
  }
  return out;
}

export function scanLayerFiles(files: readonly LayerFile[]): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const f of files) {
    if (f.content.includes(0)) continue; // binary (keystores) is out of scope of text patterns
    for (const h of scanText(f.content.toString('utf8'))) hits.push({ ...h, path: f.path, layer: f.layer });
  }
  return hits;
}

const SECRET_ENV_NAME = /(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/** Config `Env` entries that carry a secret: by name (non-empty value) or by value pattern. */
export function scanEnv(env: readonly string[]): { index: number; name: string; kind: string }[] {
  const out: { index: number; name: string; kind: string }[] = [];
  env.forEach((e, index) => {
    const eq = e.indexOf('=');
    const name = eq < 0 ? e : e.slice(0, eq);
    const value = eq < 0 ? '' : e.slice(eq + 1);
    if (!value) return;
    const byValue = scanText(value)[0];
    if (byValue) out.push({ index, name, kind: byValue.kind });
    else if (SECRET_ENV_NAME.test(name) && !/_FILE$/i.test(name) && !value.startsWith('/')) out.push({ index, name, kind: 'secret-like variable' });
  });
  return out;
}
