/**
 * An in-process Kubernetes API server for tests: it speaks the REST protocol a client sees — discovery
 * (/api, /apis, /api/v1, /apis/<group>/<version>), LIST of collections cluster-wide and per namespace with
 * `limit`/`continue` paging (items in key order, opaque continue tokens, remainingItemCount, 410 Expired),
 * typed list envelopes (`kind: PodList`) whose items carry no apiVersion/kind, bearer-token and x509
 * client-certificate authentication (CN = user, O = groups), `kind: Status` errors worded as the real ones
 * (401, 403 forbidden, 404, 410, 429 with Retry-After, 5xx) and slow answers.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../core/model.js';
import type { ServedDef } from './api-resources.js';
import { SERVED, SUBRESOURCES, VERBS_RW } from './api-resources.js';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface AccessRequest {
  user: UserInfo;
  verb: string;
  group: string;
  resource: string;
  /** Unset for cluster-scope requests. */
  namespace?: string;
}

export interface Fault {
  /** Matched against the request path with its query. */
  path: RegExp;
  /** How many matching requests get the fault (then the server answers normally). */
  times: number;
  status?: number;
  /** Retry-After header value. */
  retryAfter?: string;
  /** Delay before answering (a slow server); with no status the real answer follows the delay. */
  delayMs?: number;
}

export interface FakeApiServerOptions {
  tls: { cert: string; key: string; clientCa: string };
  tokens?: Record<string, UserInfo>;
  /** RBAC decision; default: everything allowed. */
  authorize?: (req: AccessRequest) => boolean;
  /** Objects as `kubectl get -o json` shows them (with apiVersion and kind). */
  objects: KubeObject[];
  /** CRD group versions installed, e.g. "security.istio.io/v1". */
  crds?: string[];
  faults?: Fault[];
  /** Answer every request that carries a continue token with 410 Expired (compaction happened). */
  expireContinueTokens?: boolean;
}

export interface RequestLogEntry {
  path: string;
  user?: string;
  status: number;
}

export interface FakeApiServer {
  url: string;
  log: RequestLogEntry[];
  /** Most requests the server was answering at the same time. */
  stats: { inFlight: number; maxInFlight: number };
  close(): Promise<void>;
}

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function keyOf(o: KubeObject): string {
  return o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata?.name);
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const crds = new Set(options.crds ?? []);
  const served = SERVED.filter((s) => !s.crd || crds.has(gv(s.group, s.version)));
  const store = new Map<ServedDef, KubeObject[]>();
  for (const s of served) store.set(s, []);
  let resourceVersion = 1000;
  for (const o of options.objects) {
    const def = served.find((s) => gv(s.group, s.version) === o.apiVersion && s.kind === o.kind);
    if (!def) throw new Error(`test server: no served resource for ${o.apiVersion} ${o.kind}`);
    store.get(def)!.push(o);
    resourceVersion = Math.max(resourceVersion, Number(o.metadata?.resourceVersion ?? 0));
  }
  for (const list of store.values()) list.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const faults = (options.faults ?? []).map((f) => ({ ...f }));
  const log: RequestLogEntry[] = [];

  const authenticate = (req: IncomingMessage): UserInfo | undefined => {
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      const subject = socket.getPeerCertificate().subject;
      if (subject?.CN) {
        const o = subject.O as string | string[] | undefined;
        return { name: String(subject.CN), groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] };
      }
    }
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const user = options.tokens?.[auth.slice('Bearer '.length)];
      if (user) return { ...user, groups: [...user.groups, 'system:authenticated'] };
    }
    return undefined;
  };

  const discoveryGroupList = (): Record<string, unknown> => {
    const groups = new Map<string, string[]>();
    for (const s of served) {
      if (!s.group) continue;
      const versions = groups.get(s.group) ?? groups.set(s.group, []).get(s.group)!;
      if (!versions.includes(s.version)) versions.push(s.version);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  };

  const resourceList = (group: string, version: string): Record<string, unknown> | undefined => {
    const defs = served.filter((s) => s.group === group && s.version === version);
    if (defs.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv(group, version),
      resources: defs.flatMap((s) => [
        {
          name: s.resource,
          singularName: s.singularName,
          namespaced: s.namespaced,
          kind: s.kind,
          verbs: s.resource === 'bindings' ? ['create'] : VERBS_RW,
          ...(s.shortNames ? { shortNames: s.shortNames } : {}),
          storageVersionHash: Buffer.from(s.resource).toString('base64').slice(0, 11),
        },
        ...(SUBRESOURCES[s.resource] ?? []).map((sub) => ({ name: sub.name, singularName: '', namespaced: s.namespaced, kind: sub.kind, verbs: sub.verbs })),
      ]),
    };
  };

  const list = (def: ServedDef, namespace: string | undefined, query: URLSearchParams): [number, Record<string, unknown>] => {
    let items = store.get(def)!;
    if (namespace !== undefined) items = items.filter((o) => o.metadata?.namespace === namespace);
    const limit = Number(query.get('limit') ?? 0);
    let start = 0;
    const cont = query.get('continue');
    if (cont) {
      if (options.expireContinueTokens) {
        return [410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.')];
      }
      let token: ContinueToken;
      try {
        token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as ContinueToken;
      } catch {
        return [400, status(400, 'BadRequest', 'continue key is not valid: illegal base64 data at input byte 0')];
      }
      const after = token.start.endsWith('\u0000') ? token.start.slice(0, -1) : token.start;
      start = items.findIndex((o) => keyOf(o) > after);
      if (start < 0) start = items.length;
    }
    const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
    const more = limit > 0 && start + limit < items.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(resourceVersion) };
    if (more) {
      const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: resourceVersion, start: `${keyOf(page[page.length - 1])}\u0000` };
      metadata.continue = Buffer.from(JSON.stringify(token)).toString('base64');
      metadata.remainingItemCount = items.length - start - limit;
    }
    const stripped = page.map((o) => {
      const { apiVersion, kind, ...rest } = o;
      void apiVersion;
      void kind;
      return rest;
    });
    return [200, { kind: `${def.kind}List`, apiVersion: gv(def.group, def.version), metadata, items: stripped }];
  };

  const route = (req: IncomingMessage, user: UserInfo): [number, unknown] => {
    const url = new URL(req.url ?? '/', 'https://x');
    const p = url.pathname.replace(/\/$/, '');
    if (req.method !== 'GET') return [405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')];
    if (p === '/api') return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '172.18.0.2:6443' }] }];
    if (p === '/apis') return [200, discoveryGroupList()];
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?$/.exec(p);
    if (!m) return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const namespace = m[4] === undefined ? undefined : decodeURIComponent(m[4]);
    const resource = m[5];
    if (resource === undefined && namespace === undefined) {
      const body = resourceList(group, version);
      return body ? [200, body] : [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    }
    const def = served.find((s) => s.group === group && s.version === version && s.resource === resource);
    if (!def || (namespace !== undefined && !def.namespaced)) return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    const allowed = options.authorize?.({ user, verb: 'list', group, resource: def.resource, namespace }) ?? true;
    if (!allowed) {
      const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
      return [403, status(403, 'Forbidden', `${def.resource}${group ? `.${group}` : ''} is forbidden: User "${user.name}" cannot list resource "${def.resource}" in API group "${group}" ${scope}`, { ...(group ? { group } : {}), kind: def.resource })];
    }
    return list(def, namespace, url.searchParams);
  };

  const stats = { inFlight: 0, maxInFlight: 0 };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on('close', () => stats.inFlight--);
    const path = req.url ?? '/';
    const user = authenticate(req);
    const send = (code: number, body: unknown, headers: Record<string, string> = {}): void => {
      log.push({ path, user: user?.name, status: code });
      const text = JSON.stringify(body);
      res.writeHead(code, { 'Content-Type': 'application/json', 'Audit-Id': `${log.length}`, ...headers });
      res.end(text);
    };
    const fault = faults.find((f) => f.times > 0 && f.path.test(path));
    if (fault) {
      fault.times--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (res.destroyed) return;
      if (fault.status) {
        const reason = fault.status === 429 ? 'TooManyRequests' : fault.status === 503 ? 'ServiceUnavailable' : 'InternalError';
        const message = fault.status === 429 ? 'Too many requests, please try again later.' : fault.status === 503 ? 'the server is currently unable to handle the request' : 'Internal error occurred: etcdserver: request timed out';
        send(fault.status, status(fault.status, reason, message, fault.retryAfter ? { retryAfterSeconds: Number(fault.retryAfter) } : undefined), fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
        return;
      }
    }
    if (!user) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const [code, body] = route(req, user);
    send(code, body);
  };

  const server = https.createServer({ cert: options.tls.cert, key: options.tls.key, ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    log,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
