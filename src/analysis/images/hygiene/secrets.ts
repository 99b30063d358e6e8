/**
 * Secrets left in image layers and config: the formats of the one catalogue (core/secrets/catalogue.ts, with
 * its sources) in candidate files, and secret-like variable names (core/secrets/names.ts) in the config's Env.
 * Only where a secret is is ever reported: values are never copied.
 */
import { isSecretLikeName, matchSecretFormats } from '../../../core/secrets/index.js';

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

/** Scans text for secrets with the one catalogue (core/secrets); returns kind and 1-based line per hit (first hit per kind per file). */
export function scanText(text: string): { kind: string; line: number }[] {
  return matchSecretFormats(text).map(({ kind, index }) => {
    let line = 1;
    for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
    return { kind, line };
  });
}

export function scanLayerFiles(files: readonly LayerFile[]): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const f of files) {
    if (f.content.includes(0)) continue; // binary (keystores) is out of scope of text patterns
    for (const h of scanText(f.content.toString('utf8'))) hits.push({ ...h, path: f.path, layer: f.layer });
  }
  return hits;
}

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
    else if (isSecretLikeName(name) && !value.startsWith('/')) out.push({ index, name, kind: 'secret-like variable' });
  });
  return out;
}
