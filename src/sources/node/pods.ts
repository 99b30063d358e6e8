/**
 * The pods of this node, indexed the ways the sensor looks them up: container id (from a process's cgroup), pod
 * uid (a process in a pod's cgroup whose container the pod status does not list yet, or a sandbox), and pod IP
 * (a connection's address). Built from Pod objects as the API server serves them (a snapshot, or a list/watch with
 * fieldSelector spec.nodeName). Host-network pods share the node's address, so their IPs say nothing about the
 * pod and are not indexed.
 */
import type { KubeObject } from '../../core/model.js';
import { controllerRef } from '../../core/ref.js';

export interface PodContainer {
  namespace: string;
  pod: string;
  podUid?: string;
  node?: string;
  serviceAccount?: string;
  owner?: { kind?: string; name: string };
  labels?: Record<string, string>;
  /** Absent when only the pod is known (a process in the pod's cgroup outside any listed container). */
  container?: string;
  /** As the kubelet reports it: `containerd://<id>`. */
  containerId?: string;
  image?: string;
  imageDigest?: string;
}

interface ContainerStatus {
  name?: unknown;
  containerID?: unknown;
  image?: unknown;
  imageID?: unknown;
}

const STATUS_LISTS = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'] as const;

/** `sha256:…` out of a kubelet imageID (`docker-pullable://repo@sha256:…`, `repo@sha256:…`, `sha256:…`). */
export function digestOfImageId(imageId: string): string | undefined {
  const m = /(sha256:[0-9a-f]{64})$/.exec(imageId);
  return m?.[1];
}

/**
 * One spelling per address: IPv6 as WHATWG URL serialises it (compressed, lower case, RFC 5952), which is what
 * conntrack prints (inet_ntop); a pod status may spell it otherwise (`FD00:0:0::7`). IPv4 is left as it is.
 */
export function canonicalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

/** The bare id of a kubelet container id (`containerd://abc` → `abc`). */
export function bareContainerId(id: string): string {
  const i = id.indexOf('://');
  return i < 0 ? id : id.slice(i + 3);
}

/**
 * The workload that owns a pod, walked up to its top controller where the ReplicaSet (or Job) is known: a
 * Deployment rather than its ReplicaSet. Without the ReplicaSet object, a ReplicaSet named `<deployment>-<hash>`
 * for the pod's own pod-template-hash label is a Deployment's (the Deployment controller names it so).
 */
function ownerOf(pod: KubeObject, controllers: ReadonlyMap<string, KubeObject>): PodContainer['owner'] {
  const ref = controllerRef(pod);
  if (!ref) return undefined;
  const ns = pod.metadata?.namespace ?? 'default';
  const parent = controllers.get(`${ref.kind}/${ns}/${ref.name}`);
  const top = parent ? controllerRef(parent) : undefined;
  if (top) return { kind: top.kind, name: top.name };
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (!parent && ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) };
  }
  return { kind: ref.kind, name: ref.name };
}

export class PodIndex {
  private readonly byContainerId = new Map<string, PodContainer>();
  private readonly byPodUid = new Map<string, PodContainer>();
  private readonly byIp = new Map<string, PodContainer>();
  private readonly byKey = new Map<string, KubeObject>();
  private readonly controllers = new Map<string, KubeObject>();

  /** `node`: only pods scheduled there are indexed (a snapshot holds the whole cluster). */
  constructor(private readonly node?: string) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Adds ReplicaSets and Jobs (for owners) and Pods; other kinds are ignored. */
  addAll(objects: Iterable<KubeObject>): void {
    const pods: KubeObject[] = [];
    for (const o of objects) {
      if (o.kind === 'Pod') pods.push(o);
      else if (o.kind === 'ReplicaSet' || o.kind === 'Job') this.controllers.set(`${o.kind}/${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`, o);
    }
    for (const p of pods) this.upsert(p);
  }

  /** Adds or replaces a pod (a watch ADDED/MODIFIED). */
  upsert(pod: KubeObject): void {
    const spec = (pod.spec ?? {}) as { nodeName?: unknown; hostNetwork?: unknown; serviceAccountName?: unknown };
    if (this.node !== undefined && spec.nodeName !== this.node) return;
    const key = podKey(pod);
    if (this.byKey.has(key)) this.remove(pod);
    this.byKey.set(key, pod);
    const meta = pod.metadata ?? {};
    const base: PodContainer = { namespace: meta.namespace ?? 'default', pod: meta.name ?? '' };
    if (typeof meta.uid === 'string') base.podUid = meta.uid;
    if (typeof spec.nodeName === 'string') base.node = spec.nodeName;
    if (typeof spec.serviceAccountName === 'string') base.serviceAccount = spec.serviceAccountName;
    const owner = ownerOf(pod, this.controllers);
    if (owner) base.owner = owner;
    if (meta.labels) base.labels = meta.labels;
    if (base.podUid) this.byPodUid.set(base.podUid, base);
    const status = (pod.status ?? {}) as Record<string, unknown>;
    for (const list of STATUS_LISTS) {
      const statuses = status[list];
      if (!Array.isArray(statuses)) continue;
      for (const s of statuses as ContainerStatus[]) {
        if (typeof s?.containerID !== 'string' || !s.containerID) continue;
        const c: PodContainer = { ...base, containerId: s.containerID };
        if (typeof s.name === 'string') c.container = s.name;
        if (typeof s.image === 'string') c.image = s.image;
        const digest = typeof s.imageID === 'string' ? digestOfImageId(s.imageID) : undefined;
        if (digest) c.imageDigest = digest;
        this.byContainerId.set(bareContainerId(s.containerID), c);
      }
    }
    if (spec.hostNetwork !== true) {
      const ips = new Set<string>();
      if (typeof status.podIP === 'string') ips.add(status.podIP);
      if (Array.isArray(status.podIPs)) for (const p of status.podIPs as { ip?: unknown }[]) if (typeof p?.ip === 'string') ips.add(p.ip);
      for (const ip of ips) this.byIp.set(canonicalIp(ip), base);
    }
  }

  /** Forgets a pod (a watch DELETED). */
  remove(pod: KubeObject): void {
    const old = this.byKey.get(podKey(pod));
    if (!old) return;
    this.byKey.delete(podKey(pod));
    for (const [k, v] of this.byContainerId) if (v.namespace === (old.metadata?.namespace ?? 'default') && v.pod === old.metadata?.name) this.byContainerId.delete(k);
    for (const [k, v] of this.byIp) if (v.namespace === (old.metadata?.namespace ?? 'default') && v.pod === old.metadata?.name) this.byIp.delete(k);
    if (typeof old.metadata?.uid === 'string') this.byPodUid.delete(old.metadata.uid);
  }

  clear(): void {
    this.byKey.clear();
    this.byContainerId.clear();
    this.byIp.clear();
    this.byPodUid.clear();
  }

  container(bareId: string): PodContainer | undefined {
    return this.byContainerId.get(bareId);
  }

  podByUid(uid: string): PodContainer | undefined {
    return this.byPodUid.get(uid);
  }

  podByIp(ip: string): PodContainer | undefined {
    return this.byIp.get(canonicalIp(ip));
  }
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}
