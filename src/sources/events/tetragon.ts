/**
 * Tetragon JSON export (`tetra getevents -o json`, the export file): one object per line with one event key
 * (`process_exec`, `process_exit`, `process_kprobe`, `process_lsm`, …) plus `node_name` and `time`.
 * - process_exec / process_exit → process.exec / process.exit;
 * - process_kprobe `tcp_connect` (the upstream example policy; `sock_arg`) and the legacy `process_connect` →
 *   network.connect; kprobes/LSM hooks on files (`file_arg`, `path_arg`) → file.access;
 * - other kprobes and tracepoints are skipped with a reason.
 * Field names: Tetragon gRPC API reference (tetragon.Process, Pod, KprobeSock, KprobeFile).
 */
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { baseName, type FileOp, type ProcessInfo, type Protocol, type RuntimeEvent, type WorkloadIdentity } from '../../core/events/model.js';
import { compact, digestOf, int, ownerOf, splitArgs, str } from './identity.js';

export const TETRAGON_EVENT_KEYS = ['process_exec', 'process_exit', 'process_kprobe', 'process_lsm', 'process_tracepoint', 'process_uprobe', 'process_loader', 'process_connect', 'process_throttle'] as const;

export function tetragonKey(v: JsonMap): string | undefined {
  for (const k of TETRAGON_EVENT_KEYS) if (isJsonMap(v[k])) return k;
  return undefined;
}

function workloadOf(p: JsonMap, node: string | undefined): WorkloadIdentity {
  const pod = isJsonMap(p.pod) ? p.pod : undefined;
  if (!pod) return compact({ node, host: true });
  const c = isJsonMap(pod.container) ? pod.container : {};
  const image = isJsonMap(c.image) ? c.image : {};
  const name = str(pod.name);
  return compact({
    node,
    namespace: str(pod.namespace),
    pod: name,
    owner: ownerOf(name, str(pod.workload), str(pod.workload_kind)),
    container: str(c.name),
    containerId: str(c.id),
    image: str(image.name),
    imageDigest: digestOf(str(image.id)),
    labels: isJsonMap(pod.pod_labels) ? (Object.fromEntries(Object.entries(pod.pod_labels).filter(([, x]) => typeof x === 'string')) as Record<string, string>) : undefined,
  });
}

function processOf(p: JsonMap, parent: JsonMap | undefined): ProcessInfo {
  const binary = str(p.binary) ?? '';
  const auid = int(p.auid);
  const props = isJsonMap(p.binary_properties) ? p.binary_properties : undefined;
  const file = props && isJsonMap(props.file) ? props.file : undefined;
  const inode = file && isJsonMap(file.inode) ? file.inode : undefined;
  return compact({
    pid: int(p.pid),
    name: baseName(binary) || 'unknown',
    binary: binary.startsWith('/') ? binary : undefined,
    args: typeof p.arguments === 'string' ? splitArgs(p.arguments) : [],
    cwd: str(p.cwd),
    uid: int(p.uid),
    loginUid: auid !== undefined && auid !== 4294967295 && auid >= 0 ? auid : undefined,
    // a binary executed from a file with no links left: memfd or deleted after start
    exeMemory: inode && int(inode.links) === 0 ? true : undefined,
    execId: str(p.exec_id),
    parent: parent
      ? compact({ pid: int(parent.pid), name: str(parent.binary) ? baseName(parent.binary as string) : undefined, binary: str(parent.binary), args: typeof parent.arguments === 'string' ? splitArgs(parent.arguments) : undefined, execId: str(parent.exec_id) })
      : undefined,
  });
}

const PROTOCOLS: Record<string, Protocol> = { IPPROTO_TCP: 'TCP', IPPROTO_UDP: 'UDP', IPPROTO_SCTP: 'SCTP', IPPROTO_ICMP: 'ICMP', IPPROTO_ICMPV6: 'ICMPv6', TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP' };

const FILE_HOOKS: Record<string, FileOp> = {
  fd_install: 'open',
  security_file_open: 'open',
  file_open: 'open',
  do_sys_open: 'open',
  do_sys_openat2: 'open',
  __x64_sys_openat: 'open',
  __arm64_sys_openat: 'open',
  __x64_sys_write: 'write',
  __arm64_sys_write: 'write',
  __x64_sys_read: 'read',
  __arm64_sys_read: 'read',
  security_path_truncate: 'write',
  security_path_unlink: 'unlink',
  security_inode_unlink: 'unlink',
  security_path_rename: 'rename',
  security_path_chmod: 'chmod',
  security_path_chown: 'chown',
  security_mmap_file: 'mmap-exec',
};

/** security_file_permission's mask: MAY_WRITE (2) or MAY_READ (4), linux/fs.h. */
function permissionOp(args: unknown[]): FileOp {
  for (const a of args) if (isJsonMap(a) && typeof a.int_arg === 'number') return a.int_arg & 2 ? 'write' : a.int_arg & 4 ? 'read' : 'open';
  return 'open';
}

function kprobe(e: JsonMap, base: Omit<RuntimeEvent, 'kind'>, process: ProcessInfo): RuntimeEvent | string {
  const fn = str(e.function_name) ?? '';
  const args = Array.isArray(e.args) ? e.args : [];
  for (const a of args) {
    if (!isJsonMap(a)) continue;
    if (isJsonMap(a.sock_arg) && /connect/.test(fn)) {
      const s = a.sock_arg;
      return {
        ...base,
        kind: 'network.connect',
        process,
        network: { protocol: PROTOCOLS[str(s.protocol) ?? ''] ?? 'OTHER', src: compact({ ip: str(s.saddr), port: int(s.sport) }), dst: compact({ ip: str(s.daddr), port: int(s.dport) }), direction: 'egress' },
      } as RuntimeEvent;
    }
    const file = isJsonMap(a.file_arg) ? a.file_arg : isJsonMap(a.path_arg) ? a.path_arg : undefined;
    if (file && str(file.path)) {
      const op = fn === 'security_file_permission' ? permissionOp(args) : FILE_HOOKS[fn];
      if (!op) continue;
      // older Tetragon prints paths relative to the mount root ("etc/passwd")
      const path = (file.path as string).startsWith('/') ? (file.path as string) : `/${file.path as string}`;
      return { ...base, kind: 'file.access', process, file: compact({ path, op, flags: str(file.flags) }) } as RuntimeEvent;
    }
  }
  return `Tetragon kprobe ${fn ? 'hook not mapped' : 'without function_name'}`;
}

/** The event a Tetragon export line describes, or the reason it describes none. */
export function adaptTetragon(v: JsonMap): RuntimeEvent | string {
  const key = tetragonKey(v);
  if (!key) return 'not a Tetragon event';
  const e = v[key] as JsonMap;
  const p = isJsonMap(e.process) ? e.process : undefined;
  if (!p) return `Tetragon ${key} without process`;
  const time = str(v.time) ?? str(e.time) ?? (key === 'process_exec' ? str(p.start_time) : undefined);
  if (!time) return `Tetragon ${key} without time`;
  const node = str(v.node_name);
  const process = processOf(p, isJsonMap(e.parent) ? e.parent : undefined);
  const policy = str(e.policy_name);
  const base = { time, ts: 0, workload: workloadOf(p, node), origin: compact({ source: 'tetragon', rule: policy }) };
  switch (key) {
    case 'process_exec':
      return { ...base, kind: 'process.exec', process } as RuntimeEvent;
    case 'process_exit': {
      const status = int(e.status);
      const signal = str(e.signal);
      return { ...base, kind: 'process.exit', process: { ...process, ...(status !== undefined ? { exitCode: status } : {}), ...(signal ? { signal } : {}) } } as RuntimeEvent;
    }
    case 'process_connect':
      return {
        ...base,
        kind: 'network.connect',
        process,
        network: {
          protocol: PROTOCOLS[str(e.protocol) ?? ''] ?? 'OTHER',
          src: compact({ ip: str(e.source_ip), port: int(e.source_port) }),
          dst: compact({ ip: str(e.destination_ip), port: int(e.destination_port) }),
          direction: 'egress',
        },
      } as RuntimeEvent;
    case 'process_kprobe':
    case 'process_lsm':
      return kprobe(e, base, process);
    default:
      return `Tetragon ${key} not mapped`;
  }
}
