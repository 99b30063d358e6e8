/**
 * hostPath volumes of a pod and the host locations that matter for them. Paths are normalised the way the kubelet
 * sees them ("/var//run/" is "/var/run", ".." resolved) before comparison.
 */
import { join } from '../../core/pointer.js';
import type { PodTemplateRef } from '../../core/podspec.js';
import { allContainers } from '../../core/podspec.js';
import { isMap } from './containers.js';

export interface HostPathVolume {
  name: string;
  /** Normalised absolute host path. */
  hostPath: string;
  /** Pointer to volumes[i].hostPath. */
  path: string;
}

export function normalizeHostPath(p: string): string | undefined {
  if (!p.startsWith('/')) return undefined;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

export function hostPathVolumes(t: PodTemplateRef): HostPathVolume[] {
  const vols = t.spec.volumes;
  if (!Array.isArray(vols)) return [];
  const out: HostPathVolume[] = [];
  vols.forEach((v, i) => {
    if (!isMap(v) || !isMap(v.hostPath) || typeof v.hostPath.path !== 'string') return;
    const hostPath = normalizeHostPath(v.hostPath.path);
    if (hostPath === undefined) return;
    // the volume's hostPath source: the field PSS hostPathVolumes and restricted volume types judge too
    out.push({ name: typeof v.name === 'string' ? v.name : `#${i}`, hostPath, path: join(t.specPath, 'volumes', i, 'hostPath') });
  });
  return out;
}

/** Whether every container that mounts the volume mounts it read-only (true as well when none mounts it). */
export function mountedReadOnly(t: PodTemplateRef, volume: string): boolean {
  return allContainers(t.spec, t.specPath).every((c) => {
    const mounts = c.container.volumeMounts;
    return !Array.isArray(mounts) || mounts.every((m) => !isMap(m) || m.name !== volume || m.readOnly === true);
  });
}

/** Host paths that hold no credentials: read-only, they disclose node facts, not secrets (kernel and hardware state, binaries). */
export const NO_CREDENTIALS = ['/sys', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/boot'];

/** Whether `child` is `parent` or lies under it. */
export function isWithin(child: string, parent: string): boolean {
  return parent === '/' || child === parent || child.startsWith(parent + '/');
}

/**
 * Container runtime API sockets. Whoever reaches one controls every container on the node (start a privileged
 * container, exec into others): Docker, containerd, CRI-O, cri-dockerd, dockershim, k3s, Podman, MicroK8s.
 */
export const RUNTIME_SOCKETS = [
  '/var/run/docker.sock', '/run/docker.sock',
  '/var/run/containerd/containerd.sock', '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock', '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock', '/run/cri-dockerd.sock',
  '/var/run/dockershim.sock', '/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
  '/run/podman/podman.sock', '/var/run/podman/podman.sock',
  '/var/snap/microk8s/common/run/containerd.sock',
];

/** Runtime state directories: everything below them belongs to the runtime (sockets, task state). */
export const RUNTIME_DIRS = ['/var/run/containerd', '/run/containerd', '/var/run/crio', '/run/crio', '/run/k3s', '/run/podman', '/var/run/podman', '/var/run/docker', '/run/docker', '/var/snap/microk8s/common/run'];

/** Directories holding the runtime sockets: mounting them exposes the sockets, while files beside them may be benign. */
export const SOCKET_PARENTS = ['/var/run', '/run'];

/** What runtime access a host path exposes ("the container runtime socket /run/docker.sock"), if any. */
export function exposedRuntimeSocket(hostPath: string): string | undefined {
  if (RUNTIME_SOCKETS.includes(hostPath)) return `the container runtime socket ${hostPath}`;
  if (SOCKET_PARENTS.includes(hostPath)) return `the container runtime sockets under ${hostPath}`;
  const dir = RUNTIME_DIRS.find((d) => isWithin(hostPath, d));
  return dir === undefined ? undefined : `the container runtime directory ${dir} and its socket`;
}

interface SensitivePath {
  path: string;
  /** Whether paths under it are sensitive too (false: only the path itself and its ancestors). */
  descendants: boolean;
}

/**
 * Sensitive host locations: host configuration and credentials (/etc, /root, /home), kernel interfaces
 * (/proc, /sys, /dev), binaries (/usr, /bin, /lib…), kubelet and runtime state (/var/lib/kubelet,
 * /var/lib/docker…), and /var/log (the kubelet follows symlinks written there: host file read,
 * https://www.aquasec.com/blog/kubernetes-security-pod-escape-log-mounts/).
 * `/`, `/var/run` and `/run` count only as themselves or an ancestor: the files directly under /run include benign
 * lock files (xtables.lock) and the sockets are the container-runtime-socket-mount rule's.
 */
export const SENSITIVE_PATHS: SensitivePath[] = [
  { path: '/', descendants: false },
  { path: '/etc', descendants: true },
  { path: '/proc', descendants: true },
  { path: '/sys', descendants: true },
  { path: '/dev', descendants: true },
  { path: '/boot', descendants: true },
  { path: '/root', descendants: true },
  { path: '/home', descendants: true },
  { path: '/usr', descendants: true },
  { path: '/bin', descendants: true },
  { path: '/sbin', descendants: true },
  { path: '/lib', descendants: true },
  { path: '/lib64', descendants: true },
  { path: '/var/lib/kubelet', descendants: true },
  { path: '/var/lib/docker', descendants: true },
  { path: '/var/lib/containerd', descendants: true },
  { path: '/var/lib/containers', descendants: true },
  { path: '/var/lib/etcd', descendants: true },
  { path: '/var/log', descendants: true },
  { path: '/var/run', descendants: false },
  { path: '/run', descendants: false },
];

/** Why a host path is sensitive ("is /etc", "is under /etc", "contains /var/lib/kubelet"), or undefined. */
export function sensitiveReason(hostPath: string): string | undefined {
  for (const s of SENSITIVE_PATHS) {
    if (hostPath === s.path) return s.path === '/' ? 'is the host root filesystem' : 'is a sensitive host path';
    if (s.descendants && isWithin(hostPath, s.path)) return `is under ${s.path}`;
  }
  // An ancestor exposes what is below it: /var contains /var/lib/kubelet and /var/log.
  const contained = SENSITIVE_PATHS.find((s) => s.path !== '/' && isWithin(s.path, hostPath));
  return contained ? `contains ${contained.path}` : undefined;
}
