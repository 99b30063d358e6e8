/**
 * `db update`: download per-ecosystem archives (`<base>/<Ecosystem>/all.zip`, the layout osv.dev's bucket and
 * its mirrors use) into a temporary directory, then build a fresh database from them in one atomic import.
 * Any failed download aborts before the database is touched.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { VulnDbImportError } from './errors.js';
import { importOsv, type ImportResult } from './import.js';

/** The ecosystems kubeguard matches (OS distributions and language package managers). */
export const DEFAULT_ECOSYSTEMS = ['Debian', 'Ubuntu', 'Alpine', 'Red Hat', 'Rocky Linux', 'AlmaLinux', 'Wolfi', 'Chainguard', 'npm', 'PyPI', 'Go', 'Maven', 'crates.io'];

export const DEFAULT_MIRROR = 'https://osv-vulnerabilities.storage.googleapis.com';

export interface UpdateOptions {
  dbPath: string;
  baseUrl?: string;
  ecosystems?: string[];
  now: Date;
  fetchImpl?: typeof fetch;
  /** Per-download timeout. */
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export interface UpdateResult extends ImportResult {
  downloaded: { ecosystem: string; url: string; bytes: number }[];
}

export function archiveUrl(baseUrl: string, ecosystem: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

export async function updateFromMirror(options: UpdateOptions): Promise<UpdateResult> {
  const base = options.baseUrl ?? DEFAULT_MIRROR;
  const ecosystems = options.ecosystems ?? DEFAULT_ECOSYSTEMS;
  const doFetch = options.fetchImpl ?? fetch;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-osv-'));
  try {
    const downloaded: UpdateResult['downloaded'] = [];
    const files: string[] = [];
    for (const ecosystem of ecosystems) {
      const url = archiveUrl(base, ecosystem);
      options.onProgress?.(`downloading ${url}`);
      let res: Response;
      try {
        res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 300_000) });
      } catch (e) {
        throw new VulnDbImportError(`download of ${url} failed: ${(e as Error).message}`, { cause: e });
      }
      if (!res.ok || !res.body) throw new VulnDbImportError(`download of ${url} failed: HTTP ${res.status}`);
      const file = join(dir, `${files.length}.zip`);
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
      const bytes = statSync(file).size;
      downloaded.push({ ecosystem, url, bytes });
      files.push(file);
    }
    options.onProgress?.(`importing ${files.length} archive(s)`);
    const result = await importOsv(options.dbPath, files, { mode: 'replace', now: options.now, sourceLabels: downloaded.map((d) => d.url) });
    return { ...result, downloaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
