/**
 * Which container a process belongs to, from its /proc/PID/cgroup text, as the kubelet and the container runtimes
 * name cgroups. Both kubelet cgroup drivers and both cgroup versions:
 *
 *   cgroupfs: /kubepods/burstable/pod<uid>/<id>                 (containerd; CRI-O writes crio-<id>)
 *   systemd:  /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid with _>.slice/cri-containerd-<id>.scope
 *             (CRI-O: crio-<id>.scope, with a /container child on cgroup v2; cri-dockerd: docker-<id>.scope)
 *
 * Guaranteed pods have no QoS level (/kubepods/pod<uid>, kubepods-pod<uid>.slice). References: kubelet
 * pkg/kubelet/cm/cgroup_manager_linux.go (ToSystemd / ConvertCgroupNameToSystemd: "-" in the pod uid becomes "_"),
 * pkg/kubelet/cm/pod_container_manager_linux.go (podCgroupNamePrefix "pod"), containerd's CRI plugin (systemd
 * cgroup "cri-containerd:<id>" → cri-containerd-<id>.scope), CRI-O (crio-<id>.scope; crio-conmon-<id>.scope is
 * its monitor process, not the container). The kubelet segments may sit below a parent (kind's kubelet.slice,
 * a node in a container), so they are looked for anywhere in the path. Pure: the caller reads the file.
 */

export type CgroupLayout = 'cgroupfs' | 'systemd';

export interface CgroupContainer {
  /** Bare 64-hex container id (the kubelet's containerStatuses[].containerID without its `runtime://` prefix). */
  containerId?: string;
  /** The runtime named by the cgroup (`containerd`, `cri-o`, `docker`); absent for a bare cgroupfs id. */
  runtime?: string;
  /** The pod's uid, when the cgroup is under a kubelet pod cgroup. */
  podUid?: string;
  qos?: 'guaranteed' | 'burstable' | 'besteffort';
  layout?: CgroupLayout;
  /** 2 for the unified hierarchy line (`0::/…`), 1 for a v1 controller line. */
  version: 1 | 2;
  /** The cgroup path it was read from. */
  path: string;
}

const POD_SEGMENT = /^(?:kubepods(?:-(besteffort|burstable))?-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(\.slice)?$/;
const CONTAINER_SEGMENT = /^(?:(cri-containerd|crio|docker|containerd)-)?([0-9a-f]{64})(\.scope)?$/;
const QOS_SEGMENT = /^(?:kubepods-)?(besteffort|burstable)(?:\.slice)?$/;
const RUNTIMES: Record<string, string> = { 'cri-containerd': 'containerd', containerd: 'containerd', crio: 'cri-o', docker: 'docker' };

/** Reads one cgroup path (`/kubepods/…`); undefined when it names no pod and no container. */
export function containerOfCgroupPath(path: string, version: 1 | 2): CgroupContainer | undefined {
  const segments = path.split('/');
  let podAt = -1;
  let out: CgroupContainer | undefined;
  for (let i = 0; i < segments.length; i++) {
    const m = POD_SEGMENT.exec(segments[i]);
    if (!m) continue;
    podAt = i;
    const qosParent = i > 0 ? QOS_SEGMENT.exec(segments[i - 1]) : null;
    const qos = (m[1] ?? qosParent?.[1] ?? 'guaranteed') as CgroupContainer['qos'];
    out = { podUid: m[2].replace(/_/g, '-'), qos, layout: m[3] ? 'systemd' : 'cgroupfs', version, path };
  }
  // CRI-O's monitor sits beside the containers in the pod's cgroup: a runtime process, not the pod's
  if (podAt >= 0 && segments[podAt + 1]?.startsWith('crio-conmon-')) return undefined;
  // the container is the segment right under the pod; outside Kubernetes (a runtime's own cgroup) anywhere
  const from = podAt >= 0 ? podAt + 1 : 0;
  const to = podAt >= 0 ? Math.min(podAt + 2, segments.length) : segments.length;
  for (let i = from; i < to; i++) {
    const m = CONTAINER_SEGMENT.exec(segments[i]);
    if (!m) continue;
    // a bare id outside a pod cgroup is too weak a signal (any 64-hex directory name); runtimes prefix theirs
    if (podAt < 0 && !m[1]) continue;
    const container: CgroupContainer = out ?? { version, path, layout: m[3] ? 'systemd' : 'cgroupfs' };
    container.containerId = m[2];
    if (m[1]) container.runtime = RUNTIMES[m[1]];
    return container;
  }
  return out;
}

/**
 * The container of a process from its /proc/PID/cgroup text: the unified (v2) line first, then the v1 lines
 * (with the named systemd hierarchy among them), the first that names a pod or container. Undefined for a process
 * outside every container (a host process).
 */
export function containerOfCgroupFile(text: string): CgroupContainer | undefined {
  const lines = text.split('\n');
  const ordered = [...lines.filter((l) => l.startsWith('0::')), ...lines.filter((l) => !l.startsWith('0::'))];
  let podOnly: CgroupContainer | undefined;
  for (const line of ordered) {
    // hierarchy-id:controllers:path — the path may itself hold ':'
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    const found = containerOfCgroupPath(line.slice(second + 1), line.startsWith('0::') ? 2 : 1);
    if (found?.containerId) return found;
    podOnly ??= found;
  }
  return podOnly;
}
