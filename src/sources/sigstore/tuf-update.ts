/**
 * `kubeguard trust update`: the Sigstore trusted root, fetched and verified through TUF (@sigstore/tuf on
 * tuf-js: root rotation, timestamp/snapshot/targets signatures, versions, expiry, lengths and hashes), from the
 * public-good mirror, another mirror URL, or a mirror directory copied in (served to the TUF client from a
 * loopback port for the duration of the update: the client speaks HTTP only).
 *
 * The TUF root the update starts from: `--tuf-root FILE`, else the root the last update ended with (stored beside
 * the trusted root), else the shipped public-good TUF root. The store is never left half-replaced: the trusted root
 * is validated as trust material first, then written to a temporary file and renamed over the old one.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { initTUF } from '@sigstore/tuf';
import { TrustError } from '../../analysis/images/sigstore/errors.js';
import { trustFrom } from '../../analysis/images/sigstore/trust.js';
import { readInputFile } from '../files/read-input.js';
import { SHIPPED_TRUST_DIR, TRUSTED_ROOT_FILE, trustDir } from './trusted-root.js';

export const PUBLIC_GOOD_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';
export const TUF_ROOT_FILE = 'root.json';
const MAX_SERVED = 32 * 1024 * 1024;

export interface TrustUpdate {
  /** Where the trusted root was stored. */
  path: string;
  mirror: string;
  /** The TUF root version the update ended with. */
  tufRootVersion: number;
  /** Counts of the new trusted root. */
  counts: ReturnType<typeof trustFrom>['counts'];
}

/** Serves a mirror directory read-only on a loopback port (regular files only, nothing outside it). */
async function serveDirectory(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    try {
      const file = resolve(root, '.' + decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (req.method !== 'GET' || !file.startsWith(root + sep)) throw new Error('not served');
      const body = readInputFile(file, MAX_SERVED);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 300);
}

export async function updateTrust(o: { from?: string; tufRoot?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<TrustUpdate> {
  const dir = trustDir(o.env);
  const initialRoot = o.tufRoot ?? (existsSync(join(dir, TUF_ROOT_FILE)) ? join(dir, TUF_ROOT_FILE) : join(SHIPPED_TRUST_DIR, TUF_ROOT_FILE));
  if (!existsSync(initialRoot)) throw new TrustError(`TUF root ${initialRoot}: no such file`);
  const from = o.from ?? PUBLIC_GOOD_MIRROR;
  const isUrl = /^https?:\/\//.test(from);
  if (!isUrl && !existsSync(from)) throw new TrustError(`mirror directory ${from}: no such directory`);
  const served = isUrl ? undefined : await serveDirectory(from);
  const cache = mkdtempSync(join(tmpdir(), 'kubeguard-tuf-'));
  try {
    const mirrorURL = (served?.url ?? from).replace(/\/+$/, '');
    let text: string;
    try {
      const client = await initTUF({ mirrorURL, cachePath: cache, rootPath: initialRoot, forceInit: true, forceCache: false, retry: { retries: 1 }, timeout: o.timeoutMs ?? 10_000 });
      text = await client.getTarget(TRUSTED_ROOT_FILE);
    } catch (e) {
      throw new TrustError(`TUF update from ${from} failed: ${message(e)}`, { cause: e });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TrustError(`TUF target ${TRUSTED_ROOT_FILE} from ${from} is not JSON`);
    }
    const { counts } = trustFrom(json);
    // the TUF root the client ended with (it rotated through N+1.root.json as far as the mirror had them)
    const repo = readdirSync(cache).find((d) => existsSync(join(cache, d, TUF_ROOT_FILE)));
    const tufRoot = repo ? join(cache, repo, TUF_ROOT_FILE) : initialRoot;
    const tufRootVersion = (JSON.parse(readInputFile(tufRoot, MAX_SERVED).toString('utf8')) as { signed?: { version?: number } }).signed?.version ?? 0;
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const tmpRoot = join(dir, `.${TRUSTED_ROOT_FILE}.${process.pid}.tmp`);
    const tmpTuf = join(dir, `.${TUF_ROOT_FILE}.${process.pid}.tmp`);
    writeFileSync(tmpRoot, text, { mode: 0o644 });
    copyFileSync(tufRoot, tmpTuf);
    renameSync(tmpTuf, join(dir, TUF_ROOT_FILE));
    renameSync(tmpRoot, join(dir, TRUSTED_ROOT_FILE));
    return { path: join(dir, TRUSTED_ROOT_FILE), mirror: isUrl ? from : `directory ${from}`, tufRootVersion, counts };
  } finally {
    rmSync(cache, { recursive: true, force: true });
    await served?.close();
  }
}
