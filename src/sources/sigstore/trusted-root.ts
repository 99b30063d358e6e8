/**
 * Where the Sigstore trusted root comes from. Precedence: `--trusted-root FILE` > the root `kubeguard trust
 * update` verified through TUF and stored (`$KUBEGUARD_TRUST_DIR`, else `<user cache>/kubeguard/sigstore/`) >
 * the public-good root shipped with the tool (trust/public-good/, see its SOURCE.md). A named file that cannot be
 * read or parsed is not replaced by another root: trust could not be established (TrustError → exit 3).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrustError } from '../../analysis/images/sigstore/errors.js';
import { readInputFile } from '../files/read-input.js';

export const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;
export const TRUSTED_ROOT_FILE = 'trusted_root.json';

/** The public-good trusted root and TUF root shipped with the tool (same depth from src/ and dist/). */
export const SHIPPED_TRUST_DIR = fileURLToPath(new URL('../../../trust/public-good/', import.meta.url));

export function trustDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.KUBEGUARD_TRUST_DIR) return env.KUBEGUARD_TRUST_DIR;
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'kubeguard', 'sigstore');
}

export interface LoadedRoot {
  json: unknown;
  /** Where it came from, for messages: the file, "updated (DIR)" or "shipped public-good". */
  source: string;
}

/** Reads and JSON-decodes a bounded file; failures are TrustError (never echoing its content). */
export function readJsonFile(path: string, what: string, max = MAX_TRUSTED_ROOT_BYTES): unknown {
  let text: string;
  try {
    text = readInputFile(path, max).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TrustError(`${what} ${path} cannot be read: ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new TrustError(`${what} ${path} is not JSON`);
  }
}

export function loadTrustedRoot(opts: { file?: string; env?: NodeJS.ProcessEnv; home?: string } = {}): LoadedRoot {
  if (opts.file !== undefined) return { json: readJsonFile(opts.file, 'trusted root'), source: opts.file };
  const updated = join(trustDir(opts.env, opts.home), TRUSTED_ROOT_FILE);
  if (existsSync(updated)) return { json: readJsonFile(updated, 'trusted root'), source: `updated (${updated})` };
  return { json: readJsonFile(join(SHIPPED_TRUST_DIR, TRUSTED_ROOT_FILE), 'shipped trusted root'), source: 'shipped public-good' };
}
