/**
 * The JSON-lines wire form of runtime events: one event per line, `{"v":1,"kind":…,"time":…,"workload":{…},…}`.
 * The node sensor writes it, `runtime serve` accepts it on /events, `runtime analyze` reads it. Decoding checks
 * every field it keeps (type and bounds) and rejects the line otherwise; fields it does not know are ignored,
 * so a newer producer can add fields without breaking an older reader. Error messages name fields, never values.
 */
import { isJsonMap, type JsonMap } from '../json.js';
import { EVENT_KINDS, type EventKind, type RuntimeEvent } from './model.js';

/** The wire version this reader writes and the newest it reads. */
export const EVENT_WIRE_VERSION = 1;

/** Bounds on one decoded event. */
export const EVENT_LIMITS = { string: 8192, args: 512, labels: 256, list: 256 } as const;

export type DecodeResult = { ok: true; event: RuntimeEvent } | { ok: false; error: string };

const KINDS = new Set<string>(EVENT_KINDS);

/** The wire line for an event (no trailing newline). */
export function encodeEvent(e: RuntimeEvent): string {
  const { ts: _ts, ...rest } = e;
  return JSON.stringify({ v: EVENT_WIRE_VERSION, ...rest });
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)$/i;

/** Milliseconds since the epoch of an RFC 3339 time, or NaN. Sub-millisecond digits are dropped. */
export function parseEventTime(time: string): number {
  return RFC3339.test(time) ? Date.parse(time) : NaN;
}

class Bad extends Error {}
const fail = (field: string, what: string): never => {
  throw new Bad(`${field}: ${what}`);
};

function str(o: JsonMap, k: string, field: string, required = false): void {
  const v = o[k];
  if (v === undefined || v === null) {
    if (required) fail(`${field}.${k}`, 'required string');
    if (v === null) delete o[k];
    return;
  }
  if (typeof v !== 'string') fail(`${field}.${k}`, 'must be a string');
  if ((v as string).length > EVENT_LIMITS.string) fail(`${field}.${k}`, 'too long');
}
function num(o: JsonMap, k: string, field: string, min = -Infinity, max = Infinity): void {
  const v = o[k];
  if (v === undefined) return;
  if (v === null) {
    delete o[k];
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${field}.${k}`, 'must be a number in range');
}
function bool(o: JsonMap, k: string, field: string): void {
  const v = o[k];
  if (v === null) delete o[k];
  else if (v !== undefined && typeof v !== 'boolean') fail(`${field}.${k}`, 'must be a boolean');
}
function strList(o: JsonMap, k: string, field: string, max: number = EVENT_LIMITS.list): void {
  const v = o[k];
  if (v === undefined) return;
  if (v === null) {
    delete o[k];
    return;
  }
  if (!Array.isArray(v)) fail(`${field}.${k}`, 'must be an array of strings');
  const a = v as unknown[];
  if (a.length > max) fail(`${field}.${k}`, `more than ${max} entries`);
  for (const s of a) if (typeof s !== 'string' || s.length > EVENT_LIMITS.string) fail(`${field}.${k}`, 'must be an array of strings');
}
function strMap(o: JsonMap, k: string, field: string): void {
  const v = o[k];
  if (v === undefined) return;
  if (v === null) {
    delete o[k];
    return;
  }
  if (!isJsonMap(v)) fail(`${field}.${k}`, 'must be an object of strings');
  let n = 0;
  for (const key in v as JsonMap) {
    const s = (v as JsonMap)[key];
    if (++n > EVENT_LIMITS.labels) fail(`${field}.${k}`, `more than ${EVENT_LIMITS.labels} entries`);
    if (typeof s !== 'string' || s.length > EVENT_LIMITS.string || key.length > EVENT_LIMITS.string) fail(`${field}.${k}`, 'must be an object of strings');
  }
}
function obj(o: JsonMap, k: string, field: string, required: boolean, check: (v: JsonMap, field: string) => void): void {
  const v = o[k];
  if (v === undefined || v === null) {
    if (required) fail(`${field}.${k}`, 'required object');
    if (v === null) delete o[k];
    return;
  }
  if (!isJsonMap(v)) fail(`${field}.${k}`, 'must be an object');
  check(v as JsonMap, `${field}.${k}`);
}

const WORKLOAD_STRINGS = ['cluster', 'node', 'namespace', 'pod', 'podUid', 'serviceAccount', 'container', 'containerId', 'image', 'imageDigest'];
const PROCESS_STRINGS = ['cwd', 'user', 'execId', 'signal'];
const PROCESS_FLAGS = ['tty', 'exeUpperLayer', 'exeMemory'];
const PARENT_STRINGS = ['name', 'binary', 'execId'];
const ENDPOINT_STRINGS = ['ip', 'namespace', 'pod', 'workload'];

function workload(w: JsonMap, f: string): void {
  for (const k of WORKLOAD_STRINGS) str(w, k, f);
  obj(w, 'owner', f, false, (o, of) => {
    str(o, 'kind', of);
    str(o, 'name', of, true);
  });
  strMap(w, 'labels', f);
  bool(w, 'host', f);
}

function processInfo(p: JsonMap, f: string): void {
  str(p, 'name', f, true);
  str(p, 'binary', f);
  if (p.args === undefined || p.args === null) p.args = [];
  strList(p, 'args', f, EVENT_LIMITS.args);
  for (const k of PROCESS_STRINGS) str(p, k, f);
  num(p, 'pid', f, 0);
  num(p, 'uid', f, -1);
  num(p, 'loginUid', f, -1);
  num(p, 'exitCode', f);
  for (const k of PROCESS_FLAGS) bool(p, k, f);
  obj(p, 'parent', f, false, (q, qf) => {
    num(q, 'pid', qf, 0);
    for (const k of PARENT_STRINGS) str(q, k, qf);
    strList(q, 'args', qf, EVENT_LIMITS.args);
  });
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6', 'OTHER']);
const FILE_OPS = new Set(['open', 'read', 'write', 'create', 'unlink', 'rename', 'chmod', 'chown', 'mmap-exec', 'other']);

function endpoint(e: JsonMap, f: string): void {
  for (const k of ENDPOINT_STRINGS) str(e, k, f);
  num(e, 'port', f, 0, 65535);
  strMap(e, 'labels', f);
  strList(e, 'reserved', f);
  strList(e, 'names', f);
}

function network(n: JsonMap, f: string): void {
  if (typeof n.protocol !== 'string' || !PROTOCOLS.has(n.protocol)) fail(`${f}.protocol`, 'must be TCP, UDP, SCTP, ICMP, ICMPv6 or OTHER');
  obj(n, 'src', f, true, endpoint);
  obj(n, 'dst', f, true, endpoint);
  if (n.direction !== undefined && n.direction !== 'egress' && n.direction !== 'ingress') fail(`${f}.direction`, 'must be egress or ingress');
  str(n, 'verdict', f);
  bool(n, 'reply', f);
  obj(n, 'dns', f, false, (d, df) => {
    str(d, 'query', df, true);
    strList(d, 'qtypes', df);
    strList(d, 'ips', df);
    num(d, 'rcode', df, 0, 65535);
    if (typeof d.response !== 'boolean') d.response = d.rcode !== undefined;
  });
  obj(n, 'http', f, false, (h, hf) => {
    str(h, 'method', hf);
    str(h, 'url', hf);
    num(h, 'code', hf, 0, 999);
    if (typeof h.response !== 'boolean') h.response = h.code !== undefined;
  });
}

function api(a: JsonMap, f: string): void {
  str(a, 'verb', f, true);
  obj(a, 'user', f, true, (u, uf) => {
    str(u, 'username', uf, true);
    str(u, 'uid', uf);
    strList(u, 'groups', uf);
  });
  obj(a, 'impersonatedUser', f, false, (u, uf) => {
    str(u, 'username', uf, true);
    strList(u, 'groups', uf);
  });
  strList(a, 'sourceIPs', f);
  for (const k of ['userAgent', 'requestURI', 'decision', 'auditId', 'stage']) str(a, k, f);
  num(a, 'code', f, 0, 999);
  obj(a, 'resource', f, false, (r, rf) => {
    for (const k of ['group', 'version', 'resource', 'subresource', 'namespace', 'name']) str(r, k, rf);
  });
  obj(a, 'requestObject', f, false, () => {});
  obj(a, 'responseObject', f, false, () => {});
}

/**
 * Decodes one parsed wire line. The value is checked and completed in place (absent `args` become [], `ts` is
 * derived from `time`), so the caller must not reuse it.
 */
export function decodeEvent(value: unknown): DecodeResult {
  try {
    if (!isJsonMap(value)) fail('event', 'not a JSON object');
    const o = value as JsonMap;
    if (typeof o.v !== 'number' || !Number.isInteger(o.v) || o.v < 1) fail('v', 'wire version missing');
    if ((o.v as number) > EVENT_WIRE_VERSION) fail('v', `wire version newer than ${EVENT_WIRE_VERSION}`);
    if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) fail('kind', 'unknown event kind');
    const kind = o.kind as EventKind;
    str(o, 'time', 'event', true);
    const ts = parseEventTime(o.time as string);
    if (Number.isNaN(ts)) fail('time', 'not an RFC 3339 time');
    str(o, 'id', 'event');
    obj(o, 'workload', 'event', true, workload);
    obj(o, 'origin', 'event', false, (g, gf) => {
      str(g, 'source', gf, true);
      str(g, 'rule', gf);
      str(g, 'priority', gf);
      strList(g, 'tags', gf);
    });
    switch (kind) {
      case 'process.exec':
      case 'process.exit':
        obj(o, 'process', 'event', true, processInfo);
        break;
      case 'network.connect':
      case 'network.accept':
        obj(o, 'process', 'event', false, processInfo);
        obj(o, 'network', 'event', true, network);
        break;
      case 'network.flow':
        obj(o, 'network', 'event', true, network);
        break;
      case 'file.access':
        obj(o, 'process', 'event', false, processInfo);
        obj(o, 'file', 'event', true, (fi, ff) => {
          str(fi, 'path', ff, true);
          if (typeof fi.op !== 'string' || !FILE_OPS.has(fi.op)) fail(`${ff}.op`, 'unknown file operation');
          str(fi, 'flags', ff);
        });
        break;
      case 'k8s.api':
        obj(o, 'api', 'event', true, api);
        break;
    }
    // a new object rather than `delete o.v`: deleting a first property turns an object into a dictionary, and every
    // detector then reads the event's fields through hash lookups
    const { v: _version, ...event } = o;
    event.ts = ts;
    return { ok: true, event: event as unknown as RuntimeEvent };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: e.message };
    throw e;
  }
}
