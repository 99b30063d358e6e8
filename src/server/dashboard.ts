/**
 * The dashboard's files (issue 20), served by `kubeguard serve` beside the API. The built directory (index.html and
 * content-hashed `assets/…`) is read once at start into memory — a few hundred KiB — so a request can only ever get
 * one of the files that were there: no path reaches the file system, no listing, no traversal. Text files are also
 * kept gzip- and brotli-compressed. Every other GET outside the API and /assets/ gets index.html: the dashboard's
 * own routes (`/findings?…`, `/workloads/prod/shop/Deployment/web.v2`) are shareable links.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError } from '../core/errors.js';

/** Where `npm run build` puts the dashboard: <package>/dist/dashboard, from src/server (tsx) and dist/server alike. */
export const BUILT_DASHBOARD = new URL('../../dist/dashboard/', import.meta.url);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const MAX_FILES = 1000;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * What a browser may do with the page: scripts and styles from this server only (nothing inline, no eval), API
 * calls to this server only, no framing, no plugins. Element styles set from script (CSSOM) are not affected.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

interface Asset {
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  type: string;
  etag: string;
  immutable: boolean;
}

export interface Dashboard {
  directory: string;
  assets: Map<string, Asset>;
}

function extension(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i).toLowerCase();
}

/** Reads a built dashboard directory (regular files only; symbolic links and special files are refused). */
export function loadDashboard(directory: string): Dashboard {
  const assets = new Map<string, Asset>();
  let bytes = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > 8) throw new ConfigError('the dashboard directory is nested too deeply', directory);
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full, depth + 1);
      else if (st.isFile()) {
        const type = TYPES[extension(name)];
        if (!type) continue;
        if (assets.size >= MAX_FILES || (bytes += st.size) > MAX_BYTES) throw new ConfigError(`the dashboard directory holds more than ${MAX_FILES} files or ${MAX_BYTES / 1048576} MiB`, directory);
        const body = readFileSync(full);
        const key = '/' + relative(directory, full).split(sep).join('/');
        const text = type.startsWith('text/') || type === 'application/json' || type === 'image/svg+xml';
        assets.set(key, {
          body,
          ...(text && body.length > 1024 && { gzip: gzipSync(body, { level: 9 }), br: brotliCompressSync(body) }),
          type,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          // Vite names built assets by content hash: they never change under one name
          immutable: key.startsWith('/assets/'),
        });
      }
    }
  };
  try {
    walk(directory, 0);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read the dashboard directory: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, directory, { cause: e });
  }
  if (!assets.has('/index.html')) throw new ConfigError('the dashboard directory has no index.html (build it with `npm run build`)', directory);
  return { directory, assets };
}

function send(req: FastifyRequest, reply: FastifyReply, a: Asset, status = 200): FastifyReply {
  void reply.headers(SECURITY_HEADERS).header('content-type', a.type).header('etag', a.etag).header('vary', 'accept-encoding');
  void reply.header('cache-control', a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (status === 200 && req.headers['if-none-match'] === a.etag) return reply.code(304).send();
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (a.br && /\bbr\b/.test(accept)) return reply.code(status).header('content-encoding', 'br').send(a.br);
  if (a.gzip && /\bgzip\b/.test(accept)) return reply.code(status).header('content-encoding', 'gzip').send(a.gzip);
  return reply.code(status).send(a.body);
}

const API = /^\/(api\/|openapi\.json$|healthz$|readyz$)/;

/** Serves the dashboard for every GET/HEAD the API does not answer. */
export function dashboardRoutes(app: FastifyInstance, dashboard: Dashboard | undefined): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0]);
    } catch {
      return reply.code(400).send({ error: 'bad-request', message: 'the path is not valid percent-encoding' });
    }
    if (API.test(path)) return reply.code(404).send({ error: 'not-found', message: 'no such endpoint' });
    if (!dashboard) {
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('The dashboard is not built. Run `npm run build`, or start `kubeguard serve --dashboard DIR`. The API is at /api/v1 (/openapi.json).\n');
    }
    const file = dashboard.assets.get(path);
    if (file && path !== '/index.html') return send(req, reply, file);
    // a missing script or style (an older build's, a guessed name) is a 404, not the page; any other address is a page
    if (path.startsWith('/assets/')) {
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('not found\n');
    }
    return send(req, reply, dashboard.assets.get('/index.html')!);
  };
  app.get('/*', { schema: { hide: true } }, handler);
}
