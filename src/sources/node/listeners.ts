/**
 * Which process of which pod listens on which port: the listening sockets of each pod's network namespace
 * (listening.ts), matched to a process of that pod by socket inode (/proc/PID/fd/N → socket:[inode]). Used to
 * name the process that accepts a connection. Looked up when a connection arrives at a port whose listener is not
 * known (or has exited), for that pod only, at most once a second per pod; bounded: at most 64 processes of the
 * pod and 4,096 descriptors of each are looked at.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { readListening } from './listening.js';
import { podKey } from './node-events.js';
import type { NodeEvents } from './node-events.js';
import type { KnownProcess } from './process-table.js';

const MAX_PROCESSES_PER_POD = 64;
const MAX_FDS_PER_PROCESS = 4096;

/** pod key → port → listening process, for every pod of the table, or only the pod `only`. */
export function findListeners(events: NodeEvents, only?: string, procRoot = '/proc'): Map<string, Map<number, KnownProcess>> {
  const byPod = new Map<string, KnownProcess[]>();
  for (const p of events.table.values()) {
    if (!p.read || !p.cgroup) continue;
    const w = events.workloadOf(p);
    if (!w.pod || !w.namespace) continue;
    const key = podKey({ namespace: w.namespace, pod: w.pod });
    if (only !== undefined && key !== only) continue;
    const list = byPod.get(key) ?? [];
    if (list.length < MAX_PROCESSES_PER_POD) list.push(p);
    byPod.set(key, list);
  }
  const out = new Map<string, Map<number, KnownProcess>>();
  for (const [key, processes] of byPod) {
    const sockets = readListening(processes[0].pid, procRoot);
    if (sockets.length === 0) continue;
    const portOf = new Map<number, number>(sockets.map((s) => [s.inode, s.port]));
    const ports = new Map<number, KnownProcess>();
    for (const p of processes) {
      let fds: string[];
      try {
        fds = readdirSync(`${procRoot}/${p.pid}/fd`).slice(0, MAX_FDS_PER_PROCESS);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let link: string;
        try {
          link = readlinkSync(`${procRoot}/${p.pid}/fd/${fd}`);
        } catch {
          continue;
        }
        if (!link.startsWith('socket:[')) continue;
        const port = portOf.get(Number(link.slice(8, -1)));
        if (port !== undefined && !ports.has(port)) ports.set(port, p);
      }
      if (ports.size === portOf.size) break;
    }
    if (ports.size) out.set(key, ports);
  }
  return out;
}
