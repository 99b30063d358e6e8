/**
 * An in-process Kubernetes API server for tests: it speaks the REST protocol a client sees — discovery
 * (/api, /apis, /api/v1, /apis/<group>/<version>), LIST of collections cluster-wide and per namespace with
 * `limit`/`continue` paging (items in key order, opaque continue tokens, remainingItemCount, 410 Expired),
 * typed list envelopes (`kind: PodList`) whose items carry no apiVersion/kind, bearer-token and x509
 * client-certificate authentication (CN = user, O = groups), `kind: Status` errors worded as the real ones
 * (401, 403 forbidden, 404, 410, 429 with Retry-After, 5xx) and slow answers. Field selectors (`=`, `==`, `!=`
 * on the fields the real server supports for the kind) and WATCH (`watch=true` from a resourceVersion: a stream of
 * JSON-line events, replayed from history, then live as the test calls apply/remove; `ERROR` 410 Gone for a
 * version older than the last compact(); `timeoutSeconds` ends the stream). Also single objects: GET (404
 * `pods "x" not found`), pod logs (`/log?container=&previous=`, 400 when there is no previous container), PATCH
 * (merge and strategic-merge patches as a JSON merge patch) and POST (create, 409 AlreadyExists), both honouring
 * `?dryRun=All` as the real server does (validated and answered, nothing stored); writes are recorded. The node
 * proxy (`/api/v1/nodes/NAME/proxy/PATH`, RBAC `nodes/proxy`) answers what the test says the kubelet serves.
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
  /** Container logs by "namespace/pod/container": the current and the previous (terminated) container's. */
  logs?: Record<string, { current?: string; previous?: string }>;
  /** What a node's kubelet answers through the API server's node proxy, by node name and path (e.g. `configz`). */
  nodeProxy?: Record<string, Record<string, unknown>>;
}

export interface WriteLogEntry {
  method: string;
  path: string;
  dryRun: boolean;
  contentType?: string;
  body: unknown;
}

export interface RequestLogEntry {
  path: string;
  user?: string;
  status: number;
}

export interface FakeApiServer {
  url: string;
  /** Creates or replaces an object (a new resourceVersion; ADDED or MODIFIED to watchers). */
  apply(o: KubeObject): void;
  /** Deletes an object (DELETED to watchers). */
  remove(o: KubeObject): void;
  /** Forgets the event history: a watch from an older resourceVersion gets 410 Gone. */
  compact(): void;
  /** Open watch streams. */
  watchers(): number;
  /** Ends every open watch stream (as the server does at its timeout); clients watch again. */
  endWatches(): void;
  log: RequestLogEntry[];
  /** PATCH and POST requests, in order, with their bodies. */
  writes: WriteLogEntry[];
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

/** Field labels the API server accepts in a fieldSelector, by kind (every kind: metadata.name, metadata.namespace). */
const FIELD_LABELS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  // pkg/apis/core/v1/conversion.go, the Event field label conversion
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

interface FieldRequirement {
  field: string;
  equals: boolean;
  value: string;
}

/** A fieldSelector, or the real server's error text for a field it does not support. */
function parseFieldSelector(kind: string, text: string | null): FieldRequirement[] | string {
  if (!text) return [];
  const out: FieldRequirement[] = [];
  for (const part of text.split(',')) {
    const m = /^([^!=]+)(==|!=|=)(.*)$/.exec(part.trim());
    if (!m) return `invalid selector: '${text}'; can't understand '${part}'`;
    const field = m[1].trim();
    if (!['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[kind] ?? [])].includes(field)) return `field label not supported: ${field}`;
    out.push({ field, equals: m[2] !== '!=', value: m[3].trim() });
  }
  return out;
}

function fieldsMatch(o: KubeObject, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => {
    let v: unknown = o;
    for (const k of r.field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    const text = v === undefined || v === null ? '' : String(v);
    return (text === r.value) === r.equals;
  });
}

interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  def: ServedDef;
  object: KubeObject;
}

interface Watcher {
  def: ServedDef;
  namespace?: string;
  fields: FieldRequirement[];
  res: ServerResponse;
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

  const history: WatchEvent[] = [];
  let compactedAt = 0;
  const watchers = new Set<Watcher>();
  const writeEvent = (w: Watcher, e: WatchEvent): void => {
    if (w.res.writableEnded || e.def !== w.def || (w.namespace !== undefined && e.object.metadata?.namespace !== w.namespace) || !fieldsMatch(e.object, w.fields)) return;
    w.res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
  };
  const record = (type: WatchEvent['type'], o: KubeObject): void => {
    const def = served.find((s) => gv(s.group, s.version) === o.apiVersion && s.kind === o.kind);
    if (!def) throw new Error(`test server: no served resource for ${o.apiVersion} ${o.kind}`);
    resourceVersion++;
    const object = { ...o, metadata: { ...o.metadata, resourceVersion: String(resourceVersion) } };
    const items = store.get(def)!;
    const at = items.findIndex((x) => keyOf(x) === keyOf(o));
    if (type === 'DELETED') {
      if (at >= 0) items.splice(at, 1);
    } else {
      if (at >= 0) items[at] = object;
      else items.push(object);
      items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    }
    const e: WatchEvent = { rv: resourceVersion, type: type === 'DELETED' ? 'DELETED' : at >= 0 ? 'MODIFIED' : 'ADDED', def, object };
    history.push(e);
    for (const w of watchers) writeEvent(w, e);
  };

  const list = (def: ServedDef, namespace: string | undefined, query: URLSearchParams): [number, Record<string, unknown>] => {
    let items = store.get(def)!;
    if (namespace !== undefined) items = items.filter((o) => o.metadata?.namespace === namespace);
    const fields = parseFieldSelector(def.kind, query.get('fieldSelector'));
    if (typeof fields === 'string') return [400, status(400, 'BadRequest', fields)];
    if (fields.length) items = items.filter((o) => fieldsMatch(o, fields));
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

  const writes: WriteLogEntry[] = [];
  const forbidden = (user: UserInfo, verb: string, def: ServedDef, group: string, namespace: string | undefined, sub?: string): [number, unknown] | undefined => {
    const resource = sub ? `${def.resource}/${sub}` : def.resource;
    if (options.authorize?.({ user, verb, group, resource, namespace }) ?? true) return undefined;
    const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    return [403, status(403, 'Forbidden', `${def.resource}${group ? `.${group}` : ''} is forbidden: User "${user.name}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`, { ...(group ? { group } : {}), kind: def.resource })];
  };
  const mergePatch = (target: unknown, patch: unknown): unknown => {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
    const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
    for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
      if (v === null) delete out[k];
      else out[k] = mergePatch(out[k], v);
    }
    return out;
  };

  /** GET, PATCH of one object, its log; POST to a collection. Undefined: not an object path. */
  const routeObject = (req: IncomingMessage, user: UserInfo, body: unknown): [number, unknown, string?] | undefined => {
    const url = new URL(req.url ?? '/', 'https://x');
    const p = url.pathname.replace(/\/$/, '');
    const dryRun = url.searchParams.get('dryRun') === 'All';
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+)(?:\/(log))?)?$/.exec(p);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const namespace = m[4] === undefined ? undefined : decodeURIComponent(m[4]);
    const def = served.find((s) => s.group === group && s.version === version && s.resource === m[5]);
    if (!def || (namespace !== undefined && !def.namespaced) || (namespace === undefined && def.namespaced && m[6] !== undefined)) return undefined;
    const name = m[6] === undefined ? undefined : decodeURIComponent(m[6]);
    const items = store.get(def)!;
    if (name === undefined) {
      if (req.method !== 'POST') return undefined;
      const denied = forbidden(user, 'create', def, group, namespace);
      if (denied) return denied;
      const o = body as KubeObject;
      if (!o || typeof o !== 'object' || o.kind !== def.kind || !o.metadata?.name) return [400, status(400, 'BadRequest', `the body of the request was in an unknown format`)];
      writes.push({ method: 'POST', path: req.url ?? '', dryRun, contentType: req.headers['content-type'], body });
      const created = { ...o, apiVersion: gv(def.group, def.version), metadata: { ...o.metadata, namespace, uid: `uid-${resourceVersion + 1}`, creationTimestamp: '2024-05-02T10:00:00Z' } } as KubeObject;
      if (items.some((x) => keyOf(x) === keyOf(created))) return [409, status(409, 'AlreadyExists', `${def.resource}${group ? `.${group}` : ''} "${o.metadata.name}" already exists`, { name: o.metadata.name, kind: def.resource })];
      if (!dryRun) record('ADDED', created);
      return [201, created];
    }
    const key = namespace === undefined ? name : `${namespace}/${name}`;
    const obj = items.find((o) => keyOf(o) === key);
    const notFound: [number, unknown] = [404, status(404, 'NotFound', `${def.resource}${group ? `.${group}` : ''} "${name}" not found`, { name, kind: def.resource })];
    if (m[7] === 'log') {
      if (def.resource !== 'pods' || req.method !== 'GET') return [405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')];
      const denied = forbidden(user, 'get', def, group, namespace, 'log');
      if (denied) return denied;
      if (!obj) return notFound;
      const spec = (obj.spec ?? {}) as { containers?: { name: string }[] };
      const container = url.searchParams.get('container') ?? (spec.containers?.length === 1 ? spec.containers[0].name : undefined);
      if (!container) return [400, status(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${(spec.containers ?? []).map((c) => c.name).join(' ')}]`)];
      const logs = options.logs?.[`${namespace}/${name}/${container}`];
      const previous = url.searchParams.get('previous') === 'true';
      const text = previous ? logs?.previous : (logs?.current ?? '');
      if (text === undefined) return [400, status(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`)];
      return [200, text, 'text/plain'];
    }
    if (m[7] !== undefined) return undefined;
    if (req.method === 'GET') {
      const denied = forbidden(user, 'get', def, group, namespace);
      if (denied) return denied;
      return obj ? [200, obj] : notFound;
    }
    if (req.method === 'PATCH') {
      const denied = forbidden(user, 'patch', def, group, namespace);
      if (denied) return denied;
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/(merge-patch|strategic-merge-patch)\+json/.test(type)) return [415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`)];
      writes.push({ method: 'PATCH', path: req.url ?? '', dryRun, contentType: type, body });
      if (!obj) return notFound;
      const patched = mergePatch(obj, body) as KubeObject;
      if (dryRun) return [200, patched];
      record('ADDED', patched);
      return [200, store.get(def)!.find((o) => keyOf(o) === key)];
    }
    return [405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')];
  };

  const WATCH = Symbol('watch');
  type Routed = [number, unknown] | [typeof WATCH, ServedDef, string | undefined, URLSearchParams];
  const route = (req: IncomingMessage, user: UserInfo): Routed => {
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
    const watching = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const allowed = options.authorize?.({ user, verb: watching ? 'watch' : 'list', group, resource: def.resource, namespace }) ?? true;
    if (!allowed) {
      const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
      return [403, status(403, 'Forbidden', `${def.resource}${group ? `.${group}` : ''} is forbidden: User "${user.name}" cannot ${watching ? 'watch' : 'list'} resource "${def.resource}" in API group "${group}" ${scope}`, { ...(group ? { group } : {}), kind: def.resource })];
    }
    if (watching) return [WATCH, def, namespace, url.searchParams];
    return list(def, namespace, url.searchParams);
  };

  const watch = (def: ServedDef, namespace: string | undefined, query: URLSearchParams, res: ServerResponse, sendError: (code: number, body: unknown) => void): void => {
    const fields = parseFieldSelector(def.kind, query.get('fieldSelector'));
    if (typeof fields === 'string') return sendError(400, status(400, 'BadRequest', fields));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    const from = Number(query.get('resourceVersion') ?? resourceVersion);
    if (from < compactedAt) {
      res.end(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${compactedAt})`) }) + '\n');
      return;
    }
    const w: Watcher = { def, namespace, fields, res };
    for (const e of history) if (e.rv > from) writeEvent(w, e);
    watchers.add(w);
    res.on('close', () => watchers.delete(w));
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    if (timeout > 0) setTimeout(() => res.end(), timeout * 1000).unref();
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
    let body: unknown;
    if (req.method === 'POST' || req.method === 'PATCH') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, status(400, 'BadRequest', 'the body of the request was in an unknown format'));
      }
    }
    const proxied = /^\/api\/v1\/nodes\/([^/?]+)\/proxy\/([^?]*)/.exec(path);
    if (proxied && req.method === 'GET') {
      const node = decodeURIComponent(proxied[1]);
      if (!(options.authorize?.({ user, verb: 'get', group: '', resource: 'nodes/proxy' }) ?? true)) {
        return send(403, status(403, 'Forbidden', `nodes "${node}" is forbidden: User "${user.name}" cannot get resource "nodes/proxy" in API group "" at the cluster scope`, { name: node, kind: 'nodes' }));
      }
      const answer = options.nodeProxy?.[node]?.[proxied[2]];
      if (answer === undefined) return send(404, status(404, 'NotFound', `nodes "${node}" not found`, { name: node, kind: 'nodes' }));
      return send(200, answer);
    }
    const object = routeObject(req, user, body);
    if (object && object[2] === 'text/plain') {
      log.push({ path, user: user.name, status: object[0] });
      res.writeHead(object[0], { 'Content-Type': 'text/plain', 'Audit-Id': `${log.length}` });
      res.end(object[1] as string);
      return;
    }
    if (object) return send(object[0], object[1]);
    const routed = route(req, user);
    if (routed[0] === WATCH) {
      log.push({ path, user: user.name, status: 200 });
      watch(routed[1], routed[2], routed[3], res, send);
      return;
    }
    send(routed[0], routed[1]);
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
    apply: (o) => record('ADDED', o),
    remove: (o) => record('DELETED', o),
    compact: () => {
      compactedAt = resourceVersion;
      history.length = 0;
    },
    watchers: () => watchers.size,
    endWatches: () => {
      for (const w of watchers) w.res.end();
      watchers.clear();
    },
    log,
    writes,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of watchers) w.res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
