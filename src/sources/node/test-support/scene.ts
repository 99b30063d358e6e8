/**
 * A node with pods, built in the test's own namespaces the way kubelet and a CNI build one: a "node" network
 * namespace that routes (as the host does), one network namespace per pod joined to it by a veth pair, routed the
 * way Calico routes (a /32 per pod, the pod's default route via 169.254.1.1 answered by proxy ARP on the node's
 * end), an "outside" host beyond the node on an address outside the cluster's networks, connection tracking on in
 * the node (an nftables rule, as kube-proxy's would), and cgroups named as the kubelet names them (cgroupfs layout
 * on a cgroup v1 hierarchy, systemd layout on the unified v2 one). Names, subnets and ids are random per run;
 * `close()` removes everything, and an exit hook does it when a test dies first.
 *
 * Needs root, iproute2, nftables, nsenter, unshare (scripts/setup.d/sensor.sh).
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, rmdirSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScenePod {
  name: string;
  namespace: string;
  uid: string;
  ip: string;
  netns: string;
  containerName: string;
  /** Bare 64-hex container id. */
  containerId: string;
  runtime: 'containerd' | 'cri-o';
  /** The container's cgroup directory. */
  cgroupDir: string;
  layout: 'cgroupfs' | 'systemd';
}

const V1_ROOT = '/sys/fs/cgroup/pids';
const V2_ROOT = '/sys/fs/cgroup/unified';

function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Tools the scene needs; the missing ones named. */
export function missingTools(): string[] {
  const need = ['ip', 'nft', 'nsenter', 'unshare', 'conntrack', 'nmap'];
  return need.filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/** Why a scene cannot be built here (not root, no cgroup hierarchies), or undefined. */
export function sceneUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  const missing = missingTools();
  if (missing.length) return `missing ${missing.join(', ')} (bash scripts/setup.d/sensor.sh)`;
  if (!existsSync(V1_ROOT) && !existsSync(V2_ROOT)) return 'no cgroup hierarchy at /sys/fs/cgroup/{pids,unified}';
  return undefined;
}

export class Scene {
  readonly id = randomBytes(3).toString('hex');
  readonly nodeNetns = `kg-${this.id}-node`;
  readonly outsideNetns = `kg-${this.id}-out`;
  readonly pods: ScenePod[] = [];
  /** The "outside the cluster" host. */
  readonly outsideIp: string;
  readonly dir = mkdtempSync(join(tmpdir(), 'kg-scene-'));
  private readonly subnet = randomInt(64, 128); // 10.<subnet>.x.y, one /16 per run
  private readonly cgroupTops: string[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly netnses: string[] = [];
  private readonly onExit = () => this.close();

  /**
   * The shell that places a process (a copy of /bin/sh under another name): it is exec'd in the host's cgroup and
   * moves itself into the pod's, so a sensor reading it a moment late finds it in the pod — named `sh`, it would
   * be a shell in the container that no workload started (runtime-shell-in-container, now and then).
   */
  private readonly launcher = join(this.dir, 'kg-launch');

  constructor() {
    copyFileSync('/bin/sh', this.launcher);
    this.outsideIp = `198.18.${randomInt(0, 256)}.${randomInt(2, 250)}`;
    process.once('exit', this.onExit);
    try {
      this.addNetns(this.nodeNetns);
      this.nsSh(this.nodeNetns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
      // connection tracking on, as kube-proxy's rules turn it on on a real node
      this.nsSh(this.nodeNetns, 'nft', ['-f', '-'], 'table inet kgscene {\n chain kgfwd {\n  type filter hook forward priority 0;\n  ct state new counter\n }\n chain kgout {\n  type filter hook output priority 0;\n  ct state new counter\n }\n}\n');
      this.addOutside();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  get netnsPath(): string {
    return `/run/netns/${this.nodeNetns}`;
  }

  private addNetns(name: string): void {
    sh('ip', ['netns', 'add', name]);
    this.netnses.push(name);
    sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  }

  private nsSh(ns: string, cmd: string, args: string[], input?: string): string {
    return sh('ip', ['netns', 'exec', ns, cmd, ...args], input);
  }

  private addOutside(): void {
    this.addNetns(this.outsideNetns);
    sh('ip', ['-n', this.nodeNetns, 'link', 'add', 'kgout', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.outsideNetns]);
    sh('ip', ['-n', this.nodeNetns, 'link', 'set', 'kgout', 'up']);
    sh('ip', ['-n', this.nodeNetns, 'route', 'add', `${this.outsideIp}/32`, 'dev', 'kgout']);
    // the node's default route leads outside, as a real node's does (and proxy ARP answers for 169.254.1.1 by it)
    sh('ip', ['-n', this.nodeNetns, 'route', 'add', 'default', 'via', this.outsideIp, 'dev', 'kgout', 'onlink']);
    sh('ip', ['-n', this.nodeNetns, 'addr', 'add', `10.${this.subnet}.255.1/32`, 'dev', 'kgout']);
    sh('ip', ['-n', this.outsideNetns, 'addr', 'add', `${this.outsideIp}/32`, 'dev', 'eth0']);
    sh('ip', ['-n', this.outsideNetns, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', this.outsideNetns, 'route', 'add', `10.${this.subnet}.255.1/32`, 'dev', 'eth0']);
    sh('ip', ['-n', this.outsideNetns, 'route', 'add', `10.${this.subnet}.0.0/16`, 'via', `10.${this.subnet}.255.1`, 'dev', 'eth0', 'onlink']);
  }

  /** Adds a pod: its network namespace, veth, route, and the cgroup of its one container. */
  addPod(name: string, opts: { layout: 'cgroupfs' | 'systemd'; runtime?: 'containerd' | 'cri-o'; namespace?: string; container?: string }): ScenePod {
    const n = this.pods.length + 1;
    const netns = `kg-${this.id}-p${n}`;
    const ip = `10.${this.subnet}.${n}.${randomInt(2, 250)}`;
    const host = `cali${this.id}${n}`.slice(0, 15);
    this.addNetns(netns);
    sh('ip', ['-n', this.nodeNetns, 'link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    sh('ip', ['-n', this.nodeNetns, 'link', 'set', host, 'up']);
    this.nsSh(this.nodeNetns, 'sysctl', ['-qw', `net.ipv4.conf.${host}.proxy_arp=1`]);
    sh('ip', ['-n', this.nodeNetns, 'route', 'add', `${ip}/32`, 'dev', host]);
    sh('ip', ['-n', netns, 'addr', 'add', `${ip}/32`, 'dev', 'eth0']);
    sh('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', netns, 'route', 'add', '169.254.1.1', 'dev', 'eth0', 'scope', 'link']);
    sh('ip', ['-n', netns, 'route', 'add', 'default', 'via', '169.254.1.1', 'dev', 'eth0']);
    const uid = randomUUID();
    const containerId = randomBytes(32).toString('hex');
    const runtime = opts.runtime ?? 'containerd';
    const cgroupDir = this.makeCgroup(opts.layout, uid, containerId, runtime);
    const pod: ScenePod = { name, namespace: opts.namespace ?? 'default', uid, ip, netns, containerName: opts.container ?? 'app', containerId, runtime, cgroupDir, layout: opts.layout };
    this.pods.push(pod);
    return pod;
  }

  private makeCgroup(layout: 'cgroupfs' | 'systemd', uid: string, id: string, runtime: string): string {
    let top: string;
    let dir: string;
    if (layout === 'cgroupfs') {
      top = join(V1_ROOT, `kg-${this.id}`);
      dir = join(top, 'kubepods', 'besteffort', `pod${uid}`, runtime === 'cri-o' ? `crio-${id}` : id);
    } else {
      top = join(V2_ROOT, `kg-${this.id}.slice`);
      const u = uid.replace(/-/g, '_');
      dir = join(top, 'kubepods.slice', 'kubepods-besteffort.slice', `kubepods-besteffort-pod${u}.slice`, runtime === 'cri-o' ? `crio-${id}.scope` : `cri-containerd-${id}.scope`);
    }
    if (!this.cgroupTops.includes(top)) this.cgroupTops.push(top);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Starts a process "in the container": in the pod's cgroup first, then in its network namespace, then exec'd —
   * the order a runtime follows. `mountOverlay` runs it in a private mount namespace with an overlay mounted first.
   */
  exec(pod: ScenePod, argv: string[], opts: { overlay?: { lower: string; upper: string; work: string; merged: string } } = {}): ChildProcess {
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    let script = `echo $$ > ${q(join(pod.cgroupDir, 'cgroup.procs'))} && `;
    if (opts.overlay) {
      const o = opts.overlay;
      script += `mount -t overlay overlay -o ${q(`lowerdir=${o.lower},upperdir=${o.upper},workdir=${o.work}`)} ${q(o.merged)} && `;
    }
    script += `exec nsenter --net=/run/netns/${pod.netns} -- ${argv.map(q).join(' ')}`;
    const child = opts.overlay ? spawn('unshare', ['-m', '--propagation', 'private', this.launcher, '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(this.launcher, ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('close', () => this.children.delete(child));
    return child;
  }

  /** Runs a command in the outside host's namespace. */
  execOutside(argv: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.outsideNetns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('close', () => this.children.delete(child));
    return child;
  }

  /** The pods as a snapshot (a JSON List of Pods as the API server serves them) for `--snapshot`. */
  writeSnapshot(nodeName: string): string {
    const items = this.pods.map((p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, uid: p.uid, labels: { app: p.name } },
      spec: { nodeName, containers: [{ name: p.containerName, image: 'registry.example/app:1' }] },
      status: {
        phase: 'Running',
        podIP: p.ip,
        podIPs: [{ ip: p.ip }],
        containerStatuses: [{ name: p.containerName, containerID: `${p.runtime}://${p.containerId}`, image: 'registry.example/app:1', imageID: `registry.example/app@sha256:${'e'.repeat(64)}`, ready: true }],
      },
    }));
    const file = join(this.dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    return file;
  }

  close(): void {
    process.removeListener('exit', this.onExit);
    for (const c of this.children) c.kill('SIGKILL');
    for (const ns of this.netnses.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
    for (const top of this.cgroupTops.splice(0)) removeCgroupTree(top);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** rmdir a cgroup tree bottom-up (cgroup directories hold only virtual files; rmdir is how they go). */
function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    try {
      if (statSync(p).isDirectory()) removeCgroupTree(p);
    } catch {
      /* raced */
    }
  }
  for (let i = 0; i < 20; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EBUSY') return;
      execFileSync('sleep', ['0.05']); // its last process is still exiting
    }
  }
}
