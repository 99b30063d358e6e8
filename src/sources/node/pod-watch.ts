/**
 * The pods of one node from the API server, kept current: a list, then a watch from the list's resourceVersion
 * (client-go's ListWatch), both with fieldSelector spec.nodeName=NODE so the server sends this node's pods only.
 * Bookmarks move the resourceVersion on; a watch that ends is resumed from the last one seen; "410 Gone" (the
 * version was compacted away) means list again. Failures are retried with backoff, and the sensor goes on
 * attributing by what it knew.
 *
 * In a pod the service account's token (re-read on every request: kubelet rotates it) and CA are used directly;
 * client-node, which adds about 80 MiB to a process, is loaded only for a kubeconfig file (out of the cluster).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeObject } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import type { PodIndex } from './pods.js';

export interface ApiConnection {
  server: URL;
  /** TLS and auth options for one request (a fresh token each time). */
  requestOptions(): Promise<https.RequestOptions>;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster connection of a pod (KUBERNETES_SERVICE_HOST/PORT, the mounted service-account token and CA). */
export function inClusterConnection(root = ''): ApiConnection {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('not in a cluster (KUBERNETES_SERVICE_HOST unset): use --kubeconfig');
  const ca = readFileSync(`${root}${SA_DIR}/ca.crt`);
  return {
    server: new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`),
    requestOptions: () => Promise.resolve({ ca, headers: { Authorization: `Bearer ${readFileSync(`${root}${SA_DIR}/token`, 'utf8').trim()}` } }),
  };
}

/** A connection through a kubeconfig file and context (client certificates, tokens, exec plugins). */
export async function kubeconfigConnection(kubeconfig?: string, context?: string): Promise<ApiConnection> {
  const { kc, server } = await loadKubeConfig({ kubeconfig, context });
  return {
    server: new URL(server),
    requestOptions: async () => {
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      return opts;
    },
  };
}

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

interface WatchEvent {
  type?: string;
  object?: KubeObject & { code?: number };
}

/** The watch's resourceVersion is older than the server keeps (410 Gone): list again. */
export class WatchGone extends Error {}

/**
 * A GET against the API server whose body is read as it arrives (a watch): resolves with the response once it
 * answered 2xx; 410 rejects with WatchGone, other statuses with an error naming the path (never the query).
 */
export async function streamGet(conn: ApiConnection, path: string, userAgent: string, onRequest: (req: http.ClientRequest) => void): Promise<http.IncomingMessage> {
  const opts = await conn.requestOptions();
  const lib = conn.server.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        ...opts,
        method: 'GET',
        protocol: conn.server.protocol,
        hostname: conn.server.hostname.replace(/^\[|\]$/g, ''),
        port: conn.server.port || 443,
        path: conn.server.pathname.replace(/\/$/, '') + path,
        headers: { ...opts.headers, Accept: 'application/json', 'User-Agent': userAgent },
      },
      (res) => {
        if ((res.statusCode ?? 0) === 410) {
          res.resume();
          reject(new WatchGone('410'));
        } else if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          reject(new Error(`GET ${path.split('?')[0]}: HTTP ${res.statusCode}`));
        } else resolve(res);
      },
    );
    onRequest(req);
    req.on('error', reject);
    req.end();
  });
}

export interface PodWatchStats {
  lists: number;
  watches: number;
  events: number;
  errors: number;
  lastError?: string;
}

export class PodWatch {
  readonly stats: PodWatchStats = { lists: 0, watches: 0, events: 0, errors: 0 };
  private stopped = false;
  private current?: http.ClientRequest;
  private resourceVersion = '';
  private loop?: Promise<void>;

  constructor(
    private readonly conn: ApiConnection,
    private readonly node: string,
    private readonly index: PodIndex,
    private readonly maxBackoffMs = 30_000,
  ) {}

  /** Lists once (so attribution starts with the node's pods), then watches in the background. */
  async start(): Promise<void> {
    try {
      await this.list();
    } catch (e) {
      this.failed(e);
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.destroy();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.list();
        await this.watch();
        backoff = 500;
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof WatchGone) {
          this.resourceVersion = '';
          continue;
        }
        this.failed(e);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  private failed(e: unknown): void {
    this.stats.errors++;
    this.stats.lastError = errorMessage(e).slice(0, 300);
  }

  private selector(): string {
    return `fieldSelector=${encodeURIComponent(`spec.nodeName=${this.node}`)}`;
  }

  private async list(): Promise<void> {
    const items: KubeObject[] = [];
    let cont = '';
    let rv = '';
    do {
      const body = JSON.parse(await this.get(`/api/v1/pods?${this.selector()}&limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)) as ListBody;
      for (const p of body.items ?? []) items.push({ ...p, apiVersion: 'v1', kind: 'Pod' });
      rv = body.metadata?.resourceVersion ?? '';
      cont = body.metadata?.continue ?? '';
    } while (cont && !this.stopped);
    this.index.clear();
    this.index.addAll(items);
    this.resourceVersion = rv;
    this.stats.lists++;
  }

  private request(path: string): Promise<http.IncomingMessage> {
    return streamGet(this.conn, path, 'kubeguard-sensor', (req) => (this.current = req));
  }

  private async get(path: string): Promise<string> {
    const res = await this.request(path);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async watch(): Promise<void> {
    const res = await this.request(`/api/v1/pods?${this.selector()}&watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=${encodeURIComponent(this.resourceVersion)}`);
    this.stats.watches++;
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const ev = JSON.parse(line) as WatchEvent;
      const obj = ev.object;
      if (!obj) continue;
      if (ev.type === 'ERROR') {
        if (obj.code === 410) throw new WatchGone('410');
        throw new Error(`watch error ${obj.code ?? ''}`);
      }
      const rv = obj.metadata?.resourceVersion;
      if (typeof rv === 'string') this.resourceVersion = rv;
      if (ev.type === 'BOOKMARK') continue;
      this.stats.events++;
      const pod = { ...obj, apiVersion: 'v1', kind: 'Pod' };
      if (ev.type === 'DELETED') this.index.remove(pod);
      else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.index.upsert(pod);
    }
  }
}
