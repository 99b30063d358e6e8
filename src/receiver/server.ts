/**
 * The HTTP(S) receiver of `runtime serve`:
 *   POST /falco      Falco http_output / falcosidekick webhook bodies (one JSON alert, or JSON lines)
 *   POST /audit      the API server's audit webhook backend (an audit.k8s.io/v1 EventList per batch)
 *   POST /events     the kubeguard sensor's JSON lines (and any other supported format: detected per line)
 *   POST /incidents  incident updates from other nodes' runtime serve (de-duplicated with this node's)
 *   GET  /incidents  incidents open now;  GET /healthz, /readyz, /metrics
 * Bodies are bounded; with a token every request but health and metrics needs `Authorization: Bearer <token>`.
 * Every event endpoint answers 200 with what it read as soon as the body is read: a sender never waits for sinks.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { RuntimeService } from '../usecases/runtime/serve.js';
import type { ReceiverMetrics } from './metrics.js';
import type { TlsPair } from '../admission/server/tls-files.js';
import { secureOptions } from '../admission/server/tls-files.js';

export interface ReceiverOptions {
  service: RuntimeService;
  metrics: ReceiverMetrics;
  host?: string;
  port: number;
  tls?: TlsPair;
  token?: string;
  /** Largest request body (bytes). */
  maxBody?: number;
  /** Clock sweep of idle incidents (ms); 0 turns it off. */
  sweepMs?: number;
}

export interface Receiver {
  readonly server: Server;
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
}

const EVENT_ENDPOINTS = new Set(['/falco', '/audit', '/events']);
const DEFAULT_MAX_BODY = 32 * 1024 * 1024;

function reply(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      req.resume();
      resolve('too-large');
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.destroy();
        resolve('too-large');
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export function createReceiver(options: ReceiverOptions): Receiver {
  const { service, metrics } = options;
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const token = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  let ready = false;
  const authorized = (req: IncomingMessage) => {
    if (!token) return true;
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === token.length && timingSafeEqual(given, token);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const endpoint = EVENT_ENDPOINTS.has(path) || ['/incidents', '/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
    const done = (code: number, body: unknown, type?: string) => {
      metrics.requests.inc({ endpoint, code: String(code) });
      reply(res, code, body, type);
    };
    if (path === '/healthz') return done(200, 'ok', 'text/plain');
    if (path === '/readyz') return ready ? done(200, 'ok', 'text/plain') : done(503, 'not ready', 'text/plain');
    if (path === '/metrics') return done(200, await metrics.registry.metrics(), metrics.registry.contentType);
    if (endpoint === 'other') return done(404, { error: 'not found' });
    if (!authorized(req)) return done(401, { error: 'unauthorized' });
    if (path === '/incidents' && req.method === 'GET') return done(200, { incidents: service.openIncidents() });
    if (req.method !== 'POST') return done(405, { error: 'use POST' });
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity') return done(415, { error: 'content-encoding not supported' });
    const body = await readBody(req, maxBody);
    if (body === 'too-large') return done(413, { error: `body larger than ${maxBody} bytes` });
    if (path === '/incidents') return done(200, service.ingestIncidents(body.toString('utf8')));
    const s = service.ingest(body, path.slice(1));
    return done(200, { read: s.read, skipped: s.skipped });
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
  const server: Server = options.tls ? createHttpsServer(secureOptions(options.tls), listener) : createHttpServer(listener);
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  const timer = options.sweepMs === 0 ? undefined : setInterval(() => service.sweep(), options.sweepMs ?? 5000);
  timer?.unref();

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host ?? '0.0.0.0', () => {
          ready = true;
          resolve(server.address() as AddressInfo);
        });
      }),
    close: async () => {
      ready = false;
      if (timer) clearInterval(timer);
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await service.shutdown();
    },
  };
}
