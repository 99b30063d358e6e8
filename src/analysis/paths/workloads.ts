/**
 * What the attack-path graph needs to know about each workload: its containers (ports, images), whether its
 * service-account token is mounted (the RBAC facts' answer, one home), the ways out of its containers to the node,
 * and, for each, the change that closes it as a JSON patch of the workload. Controller-owned objects (the
 * ReplicaSet of a Deployment, its Pods) are left to their owner, as every workload analysis does.
 */
import type { KubeObject } from '../../core/model.js';
import { allContainers, podTemplateOf, type ContainerRef, type PodTemplateRef } from '../../core/podspec.js';
import { controllerRef, namespaceOf } from '../../core/ref.js';
import { join } from '../../core/pointer.js';
import { isJsonMap } from '../../core/json.js';
import type { WorkloadFact } from '../rbac/cluster-facts.js';
import { exposedRuntimeSocket, hostPathVolumes, mountedReadOnly, NO_CREDENTIALS, isWithin, sensitiveReason } from '../../rules/workload/host-paths.js';
import type { Change, JsonPatchOperation } from './model.js';

export interface ContainerFacts {
  name: string;
  path: string;
  image?: string;
  /** Declared container ports. */
  ports: { port: number; protocol: string; hostPort?: number; index: number }[];
}

export interface Escape {
  evidence: string;
  likelihood: number;
  change?: Change;
}

export interface WorkloadInfo {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  object: KubeObject;
  template: PodTemplateRef;
  labels: Record<string, string>;
  containers: ContainerFacts[];
  serviceAccount: string;
  tokenMounted: boolean;
  tokenReason: string;
  /** Stop mounting the token (undefined when a projected token volume mounts it: that needs more than a flag). */
  tokenChange?: Change;
  escapes: Escape[];
  hostNetwork: boolean;
  daemonSet: boolean;
}

export const workloadId = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

function patchOf(id: string, key: string, change: string, operations: JsonPatchOperation[]): Change {
  return { key, change, patch: [{ object: id, operations }] };
}

const capsAdded = (c: ContainerRef): string[] => {
  const sc = c.container.securityContext;
  const caps = isJsonMap(sc) && isJsonMap(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
  return caps.map((x) => String(x).toUpperCase().replace(/^CAP_/, ''));
};

function escapesOf(id: string, t: PodTemplateRef, containers: readonly ContainerRef[]): Escape[] {
  const out: Escape[] = [];
  const spec = t.spec;
  for (const c of containers) {
    const name = c.container.name ?? `#${c.index}`;
    const sc = c.container.securityContext;
    if (isJsonMap(sc) && sc.privileged === true) {
      out.push({
        evidence: `container ${name} is privileged: every device and capability of the node (mount the host disk, load kernel modules)`,
        likelihood: 0.95,
        change: patchOf(id, `privileged:${id}#${name}`, `stop running container ${name} of ${id} privileged`, [{ op: 'replace', path: join(c.path, 'securityContext', 'privileged'), value: false }]),
      });
    }
    const caps = capsAdded(c);
    const sysAdmin = caps.findIndex((x) => x === 'SYS_ADMIN' || x === 'ALL');
    if (sysAdmin >= 0) {
      out.push({
        evidence: `container ${name} adds ${caps[sysAdmin] === 'ALL' ? 'every capability' : 'CAP_SYS_ADMIN'}: mount, cgroup release_agent and similar escapes`,
        likelihood: 0.7,
        change: patchOf(id, `cap:${id}#${name}`, `drop ${caps[sysAdmin] === 'ALL' ? 'ALL' : 'SYS_ADMIN'} from the added capabilities of container ${name} of ${id}`, [{ op: 'remove', path: join(c.path, 'securityContext', 'capabilities', 'add', sysAdmin) }]),
      });
    }
    const ptrace = caps.includes('SYS_PTRACE') || caps.includes('ALL') || (isJsonMap(sc) && sc.privileged === true);
    if (spec.hostPID === true && ptrace) {
      out.push({
        evidence: `hostPID with CAP_SYS_PTRACE in container ${name}: enter a host process's namespaces (nsenter -t 1)`,
        likelihood: 0.8,
        change: patchOf(id, `hostpid:${id}`, `stop sharing the host PID namespace with ${id}`, [{ op: 'replace', path: join(t.specPath, 'hostPID'), value: false }]),
      });
    }
  }
  for (const v of hostPathVolumes(t)) {
    const socket = exposedRuntimeSocket(v.hostPath);
    const readOnly = mountedReadOnly(t, v.name);
    const sensitive = socket ? undefined : sensitiveReason(v.hostPath);
    if (!socket && !sensitive) continue;
    if (!socket && readOnly && NO_CREDENTIALS.some((p) => isWithin(v.hostPath, p))) continue;
    out.push({
      evidence: socket
        ? `hostPath volume ${v.name} mounts ${socket}: start a privileged container on the node`
        : `hostPath volume ${v.name} mounts ${v.hostPath}${readOnly ? ' read-only' : ''}, which ${sensitive}: ${readOnly ? 'read node credentials' : 'write to the node'}`,
      likelihood: socket ? 0.95 : readOnly ? 0.5 : 0.85,
      change: patchOf(id, `hostpath:${id}/${v.name}`, `stop mounting ${v.hostPath} (volume ${v.name}) in ${id}`, removeVolume(t, v.name, v.path)),
    });
  }
  if (spec.hostNetwork === true) {
    out.push({
      evidence: "hostNetwork: the node's kubelet API (port 10250) and services bound to the node's localhost are reachable",
      likelihood: 0.3,
      change: patchOf(id, `hostnetwork:${id}`, `stop using the host network in ${id}`, [{ op: 'replace', path: join(t.specPath, 'hostNetwork'), value: false }]),
    });
  }
  return out;
}

/** Operations removing a volume and every mount of it (mounts first, highest index first, so pointers stay valid). */
function removeVolume(t: PodTemplateRef, volume: string, hostPathPointer: string): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  for (const c of allContainers(t.spec, t.specPath)) {
    const mounts = c.container.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    for (let i = mounts.length - 1; i >= 0; i--) if (isJsonMap(mounts[i]) && mounts[i].name === volume) ops.push({ op: 'remove', path: join(c.path, 'volumeMounts', i) });
  }
  ops.push({ op: 'remove', path: hostPathPointer.replace(/\/hostPath$/, '') });
  return ops;
}

function containerFacts(c: ContainerRef): ContainerFacts {
  const ports: ContainerFacts['ports'] = [];
  (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((p, index) => {
    if (!isJsonMap(p) || typeof p.containerPort !== 'number') return;
    ports.push({ port: p.containerPort, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', index, ...(typeof p.hostPort === 'number' ? { hostPort: p.hostPort } : {}) });
  });
  return { name: c.container.name ?? `#${c.index}`, path: c.path, ...(typeof c.container.image === 'string' && c.container.image ? { image: c.container.image } : {}), ports };
}

/** The workloads of an input, with `fact` the RBAC facts' view of each (service account, token). */
export function workloadsOf(objects: readonly KubeObject[], fact: (o: KubeObject) => WorkloadFact | undefined): WorkloadInfo[] {
  const out: WorkloadInfo[] = [];
  for (const o of objects) {
    const t = podTemplateOf(o);
    if (!t || controllerRef(o) || o.kind === 'PodTemplate') continue;
    const f = fact(o);
    if (!f) continue;
    const ns = namespaceOf(o) ?? 'default';
    const kind = o.kind ?? 'Pod';
    const name = o.metadata?.name ?? '';
    const id = workloadId(kind, ns, name);
    const refs = [...allContainers(t.spec, t.specPath)];
    const projected = Array.isArray(t.spec.volumes) && t.spec.volumes.some((v) => isJsonMap(v) && isJsonMap(v.projected) && JSON.stringify(v.projected).includes('serviceAccountToken'));
    out.push({
      id,
      kind,
      namespace: ns,
      name,
      object: o,
      template: t,
      labels: { ...(t.metadata.labels ?? {}) },
      containers: refs.filter((c) => c.kind !== 'ephemeralContainers').map(containerFacts),
      serviceAccount: f.serviceAccount,
      tokenMounted: f.tokenMounted,
      tokenReason: f.tokenReason,
      ...(projected
        ? {}
        : { tokenChange: patchOf(id, `token:${id}`, `stop mounting the service-account token in ${id} (automountServiceAccountToken: false)`, [{ op: 'add', path: join(t.specPath, 'automountServiceAccountToken'), value: false }]) }),
      escapes: escapesOf(id, t, refs),
      hostNetwork: t.spec.hostNetwork === true,
      daemonSet: kind === 'DaemonSet',
    });
  }
  return out;
}
