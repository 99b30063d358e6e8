/** A server over a test store on a free loopback port, tokens for each role, and a small JSON client. */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../sources/store/open.js';
import type { Role } from '../../usecases/access/roles.js';
import { createApiToken } from '../../usecases/access/tokens.js';
import type { AppOptions } from '../app.js';
import { buildApp } from '../app.js';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

export async function startTestServer(store: Store, now?: () => Date, options: Omit<AppOptions, 'store' | 'now'> = {}): Promise<TestServer> {
  const app = await buildApp({ store, now, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'approver', 'admin', 'uploader'] as const) tokens[role] = (await createApiToken(store, { role, name: `test-${role}`, now: new Date() })).token;
  return { app, url: `http://127.0.0.1:${port}`, tokens, close: () => app.close() };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  /** A Cookie header. */
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function request(url: string, options: RequestOptions = {}): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.cookie && { cookie: options.cookie }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
