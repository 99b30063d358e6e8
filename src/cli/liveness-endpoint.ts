/**
 * A liveness endpoint for a long-running command without an HTTP server of its own (`agent --health-port`):
 * GET /healthz answers 200 while `check` says the work makes progress, 503 with the reason when it does not, so
 * the kubelet restarts a process that hangs. Nothing else is served; the body holds no configuration.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Liveness } from '../usecases/agent/liveness.js';

export interface LivenessEndpoint {
  port: number;
  close(): Promise<void>;
}

export async function serveLiveness(port: number, check: () => Liveness, host?: string): Promise<LivenessEndpoint> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const l = path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD') ? check() : undefined;
    const [code, body] = l ? [l.live ? 200 : 503, { status: l.live ? 'ok' : 'stale', state: l.state }] : [404, { status: 'not found' }];
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
