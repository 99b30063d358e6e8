/**
 * Falco JSON alerts (`json_output: true`, the body Falco's `http_output` and falcosidekick's webhook post):
 * `{time, rule, priority, output, source?, tags?, hostname?, output_fields: {…}}`. Each alert becomes the event it
 * describes — a process execution, a connection, a file access or (source k8s_audit) an API request — read from
 * `output_fields`; the Falco rule and priority are kept in `origin`. Fields Falco left out (null) are absent.
 * Field names: https://falco.org/docs/reference/rules/supported-fields/
 */
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { baseName, type FileOp, type NetEndpoint, type ProcessInfo, type Protocol, type RuntimeEvent, type WorkloadIdentity } from '../../core/events/model.js';
import { compact, int, podWorkload, str } from './identity.js';

export function isFalcoAlert(v: JsonMap): boolean {
  return typeof v.rule === 'string' && typeof v.priority === 'string' && (typeof v.output === 'string' || isJsonMap(v.output_fields));
}

const nsTime = (ns: unknown): string | undefined => {
  const n = typeof ns === 'number' ? ns : typeof ns === 'string' && /^\d+$/.test(ns) ? Number(ns) : undefined;
  if (n === undefined) return undefined;
  const ms = Math.floor(n / 1e6);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

const bool = (v: unknown): boolean | undefined => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined);

function workloadOf(f: JsonMap, hostname: string | undefined): WorkloadIdentity {
  const containerId = str(f['container.id']);
  if (containerId === 'host') return compact({ node: hostname, host: true });
  const repo = str(f['container.image.repository']);
  const tag = str(f['container.image.tag']);
  const digest = str(f['container.image.digest']);
  const image = str(f['container.image']) ?? (repo ? (tag ? `${repo}:${tag}` : repo) : undefined);
  return podWorkload({
    node: hostname,
    namespace: str(f['k8s.ns.name']) ?? str(f['k8smeta.ns.name']),
    pod: str(f['k8s.pod.name']) ?? str(f['k8smeta.pod.name']),
    podUid: str(f['k8s.pod.uid']) ?? str(f['k8smeta.pod.uid']),
    container: str(f['container.name']) ?? str(f['k8s.container.name']),
    containerId,
    image,
    imageDigest: digest?.startsWith('sha256:') ? digest : undefined,
  });
}

function processOf(f: JsonMap): ProcessInfo | undefined {
  const exe = str(f['proc.exepath']) ?? str(f['proc.exe']);
  const cmdline = str(f['proc.cmdline']);
  const name = str(f['proc.name']) ?? (exe ? baseName(exe) : cmdline?.split(' ')[0]);
  if (!name) return undefined;
  // Falco joins argv with blanks without quoting: split the same way
  const argLine = str(f['proc.args']) ?? (cmdline && cmdline.startsWith(name) ? cmdline.slice(name.length) : undefined);
  const loginUid = int(f['user.loginuid']);
  const tty = int(f['proc.tty']);
  const parentName = str(f['proc.pname']);
  const parentExe = str(f['proc.pexepath']) ?? str(f['proc.pexe']);
  return compact({
    pid: int(f['proc.pid']),
    name,
    binary: exe?.startsWith('/') ? exe : undefined,
    args: argLine ? argLine.split(' ').filter(Boolean) : [],
    cwd: str(f['proc.cwd']),
    uid: int(f['user.uid']),
    user: str(f['user.name']),
    loginUid: loginUid !== undefined && loginUid >= 0 && loginUid !== 4294967295 ? loginUid : undefined,
    tty: tty === undefined ? undefined : tty !== 0,
    exeUpperLayer: bool(f['proc.is_exe_upper_layer']),
    exeMemory: bool(f['proc.is_exe_from_memfd']) || undefined,
    parent: parentName || parentExe ? compact({ pid: int(f['proc.ppid']), name: parentName ?? (parentExe ? baseName(parentExe) : undefined), binary: parentExe?.startsWith('/') ? parentExe : undefined }) : undefined,
  });
}

/** `a:p->b:q` (IPv6 in brackets or bare) into client and server endpoints. */
function parseConnection(name: string): { client: NetEndpoint; server: NetEndpoint } | undefined {
  const arrow = name.indexOf('->');
  if (arrow < 0) return undefined;
  const side = (s: string): NetEndpoint | undefined => {
    const i = s.lastIndexOf(':');
    if (i <= 0) return undefined;
    const port = Number(s.slice(i + 1));
    const ip = s.slice(0, i).replace(/^\[|\]$/g, '');
    return Number.isInteger(port) && ip ? { ip, port } : undefined;
  };
  const client = side(name.slice(0, arrow));
  const server = side(name.slice(arrow + 2));
  return client && server ? { client, server } : undefined;
}

function protocolOf(f: JsonMap): Protocol {
  const p = str(f['fd.l4proto'])?.toUpperCase();
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p;
  if (p === 'ICMP') return 'ICMP';
  return 'TCP';
}

function fileOpOf(f: JsonMap, rule: string): FileOp {
  const type = str(f['evt.type']) ?? '';
  if (/^(unlink|unlinkat)$/.test(type)) return 'unlink';
  if (/^(rename|renameat|renameat2)$/.test(type)) return 'rename';
  if (/^(chmod|fchmod|fchmodat)$/.test(type)) return 'chmod';
  if (/^(chown|fchown|fchownat|lchown)$/.test(type)) return 'chown';
  if (bool(f['evt.is_open_write'])) return 'write';
  if (bool(f['evt.is_open_read'])) return 'read';
  const flags = str(f['evt.arg.flags']) ?? '';
  if (/O_CREAT/.test(flags)) return 'create';
  if (/O_WRONLY|O_RDWR|O_TRUNC|O_APPEND/.test(flags)) return 'write';
  if (/O_RDONLY/.test(flags)) return 'read';
  // Falco's "Write below …" rules only fire on opens for writing
  return /\bwrite\b/i.test(rule) ? 'write' : 'open';
}

function apiEvent(f: JsonMap, base: Omit<RuntimeEvent, 'kind'>): RuntimeEvent | undefined {
  const verb = str(f['ka.verb']);
  const username = str(f['ka.user.name']);
  if (!verb || !username) return undefined;
  const resource = str(f['ka.target.resource']);
  const namespace = str(f['ka.target.namespace']);
  const name = str(f['ka.target.name']);
  const groups = f['ka.user.groups'];
  return {
    ...base,
    kind: 'k8s.api',
    id: str(f['ka.auditid']) ?? base.id,
    workload: resource === 'pods' && name ? podWorkload({ namespace, pod: name }) : compact({ namespace }),
    api: compact({
      verb,
      user: compact({ username, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : undefined }),
      resource: compact({ resource, subresource: str(f['ka.target.subresource']), namespace, name }),
      requestURI: str(f['ka.uri']),
      code: int(f['ka.response.code']),
      userAgent: str(f['ka.useragent']),
      sourceIPs: typeof f['ka.sourceips'] === 'string' ? [f['ka.sourceips'] as string] : undefined,
      auditId: str(f['ka.auditid']),
    }),
  } as RuntimeEvent;
}

/** The event a Falco alert describes, or the reason it describes none. */
export function adaptFalco(v: JsonMap): RuntimeEvent | string {
  const f = isJsonMap(v.output_fields) ? v.output_fields : {};
  const rule = v.rule as string;
  const time = str(v.time) ?? nsTime(f['evt.time']) ?? nsTime(f['evt.time.iso8601']);
  if (!time) return 'Falco alert without a time';
  const hostname = str(v.hostname);
  const base = {
    time,
    ts: 0,
    ...(str(v.uuid) ? { id: v.uuid as string } : {}),
    workload: workloadOf(f, hostname),
    origin: compact({ source: 'falco', rule, priority: v.priority as string, tags: Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === 'string') : undefined }),
  };
  if (v.source === 'k8s_audit' || str(f['ka.verb'])) return apiEvent(f, base) ?? 'Falco k8s_audit alert without ka.verb and ka.user.name';
  const process = processOf(f);
  const fd = str(f['fd.name']);
  const conn = fd ? parseConnection(fd) : undefined;
  const type = str(f['evt.type']) ?? '';
  if (conn || str(f['fd.sip']) || str(f['fd.rip'])) {
    const client: NetEndpoint = conn?.client ?? compact({ ip: str(f['fd.cip']), port: int(f['fd.cport']) });
    const server: NetEndpoint = conn?.server ?? compact({ ip: str(f['fd.sip']) ?? str(f['fd.rip']), port: int(f['fd.sport']) ?? int(f['fd.rport']) });
    const sipName = str(f['fd.sip.name']);
    if (sipName) server.names = [sipName];
    const accept = /^accept/.test(type);
    return {
      ...base,
      kind: accept ? 'network.accept' : 'network.connect',
      ...(process ? { process } : {}),
      network: { protocol: protocolOf(f), src: client, dst: server, direction: accept ? 'ingress' : 'egress' },
    } as RuntimeEvent;
  }
  if (fd?.startsWith('/')) {
    return { ...base, kind: 'file.access', ...(process ? { process } : {}), file: compact({ path: fd, op: fileOpOf(f, rule), flags: str(f['evt.arg.flags']) }) } as RuntimeEvent;
  }
  if (process) return { ...base, kind: 'process.exec', process } as RuntimeEvent;
  return 'Falco alert without process, file, connection or audit fields';
}
