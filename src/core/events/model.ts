/**
 * The runtime event model: what happened on a node or at the API server, and which workload it belongs to.
 * Every event source (Falco, Tetragon, Kubernetes audit logs, Hubble flows, the kubeguard node sensor) is turned
 * into these events by an adapter; detectors, baselines and incidents read only these. The JSON-lines wire form
 * (wire.ts) is the same shape with `v` (the wire version) and without the derived `ts`; docs/runtime.md documents it.
 */

export const EVENT_KINDS = [
  'process.exec',
  'process.exit',
  'network.connect',
  'network.accept',
  'network.flow',
  'file.access',
  'k8s.api',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Where an event came from: the producer, and the producer's own verdict when it had one (a Falco rule). */
export interface EventOrigin {
  /** falco | tetragon | k8s-audit | hubble | kubeguard-sensor (or another producer's name). */
  source: string;
  /** The producer's rule or policy that emitted the event (Falco rule name, Tetragon policy name). */
  rule?: string;
  /** The producer's priority/severity for its rule, verbatim (Falco: Critical, Warning, …). */
  priority?: string;
  /** The producer's tags (Falco rule tags). */
  tags?: string[];
}

/** The controller that owns a pod, walked up to the top (a Deployment, not its ReplicaSet). */
export interface OwnerRef {
  /** Absent when the owner's name was derived from the pod name and its kind is not known. */
  kind?: string;
  name: string;
}

/**
 * The workload an event belongs to. Every field is optional: a producer knows what it knows. A process outside
 * every container (on the node itself) has `host: true` and no pod or container.
 */
export interface WorkloadIdentity {
  cluster?: string;
  node?: string;
  namespace?: string;
  pod?: string;
  podUid?: string;
  owner?: OwnerRef;
  serviceAccount?: string;
  container?: string;
  /** Runtime-prefixed container id as the kubelet reports it (`containerd://…`) or the bare id. */
  containerId?: string;
  /** The image reference the container runs, as written in the pod spec. */
  image?: string;
  /** The image's digest (`sha256:…`) when the producer resolved it. */
  imageDigest?: string;
  labels?: Record<string, string>;
  /** A process of the node itself, not of any container. */
  host?: boolean;
}

export interface ProcessInfo {
  pid?: number;
  /** Executable base name (`sh`), always set. */
  name: string;
  /** Executable path when known (`/bin/sh`). */
  binary?: string;
  /** argv[1..] (argv[0] is `name`/`binary`). */
  args: string[];
  cwd?: string;
  uid?: number;
  user?: string;
  /** The audit login uid (unset: 4294967295 or -1 become absent). */
  loginUid?: number;
  /** The process has a controlling terminal (an interactive shell, `kubectl exec -it`). */
  tty?: boolean;
  /** The executable was written after the container started (overlayfs upper layer): not part of the image. */
  exeUpperLayer?: boolean;
  /** The executable lives in memory only (memfd) or its file was deleted. */
  exeMemory?: boolean;
  /** The producer's id of this execution, unique in the cluster (Tetragon exec_id). */
  execId?: string;
  parent?: { pid?: number; name?: string; binary?: string; args?: string[]; execId?: string };
  /** Exit code / terminating signal, on process.exit. */
  exitCode?: number;
  signal?: string;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP' | 'ICMPv6' | 'OTHER';

/** One side of a connection or flow. */
export interface NetEndpoint {
  ip?: string;
  port?: number;
  /** The workload behind the address when the producer knew it (Hubble identities). */
  namespace?: string;
  pod?: string;
  workload?: string;
  labels?: Record<string, string>;
  /** Producer-reserved identities: world, host, kube-apiserver, health, … (Hubble `reserved:` labels). */
  reserved?: string[];
  /** DNS names the producer associated with the address. */
  names?: string[];
}

export interface DnsInfo {
  query: string;
  qtypes?: string[];
  /** DNS response code (0 NOERROR, 3 NXDOMAIN); absent on a request. */
  rcode?: number;
  ips?: string[];
  response: boolean;
}

export interface HttpInfo {
  method?: string;
  url?: string;
  code?: number;
  response: boolean;
}

export interface NetworkInfo {
  protocol: Protocol;
  src: NetEndpoint;
  dst: NetEndpoint;
  /** Seen from `workload`: egress = it initiated, ingress = it received. */
  direction?: 'egress' | 'ingress';
  /** Flow producers: FORWARDED, DROPPED, … */
  verdict?: string;
  /** The flow is a reply (Hubble `is_reply`). */
  reply?: boolean;
  dns?: DnsInfo;
  http?: HttpInfo;
}

export type FileOp = 'open' | 'read' | 'write' | 'create' | 'unlink' | 'rename' | 'chmod' | 'chown' | 'mmap-exec' | 'other';

export interface FileInfo {
  path: string;
  op: FileOp;
  /** Open flags as the producer wrote them (O_RDONLY, O_WRONLY|O_CREAT …). */
  flags?: string;
}

/** A request to the Kubernetes API server, from the audit log (audit.k8s.io/v1 Event). */
export interface ApiRequestInfo {
  /** get, list, watch, create, update, patch, delete, deletecollection, … */
  verb: string;
  user: { username: string; uid?: string; groups?: string[] };
  impersonatedUser?: { username: string; groups?: string[] };
  sourceIPs?: string[];
  userAgent?: string;
  resource?: {
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
  };
  requestURI?: string;
  /** HTTP status of the response. */
  code?: number;
  /** authorization.k8s.io/decision annotation: allow | forbid. */
  decision?: string;
  auditId?: string;
  stage?: string;
  /** The request body as audited (RequestResponse/Request level), with Secret values removed. */
  requestObject?: Record<string, unknown>;
  /** The response body as audited, with Secret values removed. */
  responseObject?: Record<string, unknown>;
}

interface EventBase {
  kind: EventKind;
  /** RFC 3339 time of the event, as the producer wrote it (nanoseconds kept). */
  time: string;
  /** `time` in milliseconds since the epoch: derived on decode, never on the wire. Detection time comes only from here. */
  ts: number;
  /** Producer's event id when it has one (audit ID, Falco uuid). */
  id?: string;
  workload: WorkloadIdentity;
  origin?: EventOrigin;
}

export interface ProcessExecEvent extends EventBase {
  kind: 'process.exec';
  process: ProcessInfo;
}
export interface ProcessExitEvent extends EventBase {
  kind: 'process.exit';
  process: ProcessInfo;
}
export interface NetworkConnectEvent extends EventBase {
  kind: 'network.connect';
  process?: ProcessInfo;
  network: NetworkInfo;
}
export interface NetworkAcceptEvent extends EventBase {
  kind: 'network.accept';
  process?: ProcessInfo;
  network: NetworkInfo;
}
export interface NetworkFlowEvent extends EventBase {
  kind: 'network.flow';
  network: NetworkInfo;
}
export interface FileAccessEvent extends EventBase {
  kind: 'file.access';
  process?: ProcessInfo;
  file: FileInfo;
}
export interface ApiRequestEvent extends EventBase {
  kind: 'k8s.api';
  api: ApiRequestInfo;
}

export type RuntimeEvent =
  | ProcessExecEvent
  | ProcessExitEvent
  | NetworkConnectEvent
  | NetworkAcceptEvent
  | NetworkFlowEvent
  | FileAccessEvent
  | ApiRequestEvent;

export type NetworkEvent = NetworkConnectEvent | NetworkAcceptEvent | NetworkFlowEvent;

export function isNetworkEvent(e: RuntimeEvent): e is NetworkEvent {
  return e.kind === 'network.connect' || e.kind === 'network.accept' || e.kind === 'network.flow';
}

/** Executable base name of a path (`/usr/bin/curl` → `curl`). */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
