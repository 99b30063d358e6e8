/**
 * The processes the sensor knows, by pid: what a later event needs about a process that may be gone by then
 * (its parent's name on exec, its argv on exit, the container a short-lived child inherited at fork). Bounded:
 * when full, the entry seen longest ago goes first.
 */
import type { ProcessInfo } from '../../core/events/index.js';
import type { CgroupContainer } from './cgroup.js';
import { BoundedMap } from '../../core/bounded-map.js';

export interface KnownProcess {
  pid: number;
  ppid?: number;
  name: string;
  binary?: string;
  args: string[];
  uid?: number;
  tty?: boolean;
  exeUpperLayer?: boolean;
  exeMemory?: boolean;
  /** The container its cgroup names (undefined: a host process); the workload is looked up when needed. */
  cgroup?: CgroupContainer;
  /** Filled from /proc (true) or inherited from the parent at fork (false). */
  read: boolean;
}

export class ProcessTable {
  private readonly byPid: BoundedMap<number, KnownProcess>;

  constructor(readonly capacity = 65_536) {
    this.byPid = new BoundedMap(capacity);
  }

  get size(): number {
    return this.byPid.size;
  }

  get evicted(): number {
    return this.byPid.evicted;
  }

  /** Reading a process does not make it recent: the one seen (set) longest ago goes first. */
  get(pid: number): KnownProcess | undefined {
    return this.byPid.peek(pid);
  }

  set(p: KnownProcess): void {
    this.byPid.set(p.pid, p);
  }

  delete(pid: number): KnownProcess | undefined {
    const p = this.byPid.peek(pid);
    this.byPid.delete(pid);
    return p;
  }

  *values(): IterableIterator<KnownProcess> {
    for (const [, p] of this.byPid.entries()) yield p;
  }
}

/** The model's process record of a known process. */
export function processInfoOf(p: KnownProcess): ProcessInfo {
  const info: ProcessInfo = { pid: p.pid, name: p.name, args: p.args };
  if (p.binary) info.binary = p.binary;
  if (p.uid !== undefined) info.uid = p.uid;
  if (p.tty) info.tty = true;
  if (p.exeUpperLayer !== undefined) info.exeUpperLayer = p.exeUpperLayer;
  if (p.exeMemory) info.exeMemory = true;
  return info;
}
