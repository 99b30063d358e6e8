/**
 * Connections from netfilter's connection tracking events, read with `conntrack -E` (conntrack-tools, the standard
 * reader of ctnetlink events): every new connection the node's netfilter sees, including the SYN of a scan that
 * was answered by a reset. Runs in the sensor's network namespace, or in another one through `nsenter --net=PATH`
 * (needs CAP_SYS_ADMIN there). Needs CAP_NET_ADMIN; conntrack itself must be on in that namespace (kube-proxy,
 * Calico and Cilium's kube-proxy replacement turn it on; nothing to track otherwise).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isOverflowWarning, parseConntrackLine } from './conntrack-line.js';
import type { ConntrackEvent, ConntrackType } from './conntrack-line.js';

export interface ConntrackOptions {
  /** Which events (default NEW). */
  types?: readonly ConntrackType[];
  /** A network namespace file (/proc/PID/ns/net, /run/netns/NAME) to watch instead of the sensor's own. */
  netns?: string;
  /** conntrack's netlink receive buffer, bytes (default 8 MiB). */
  receiveBuffer?: number;
  /** The conntrack executable (default `conntrack` on PATH). */
  command?: string;
}

export interface ConntrackStats {
  lines: number;
  events: number;
  unparsed: number;
  /** conntrack's "We have hit ENOBUFS! We are losing events." warnings. */
  overflows: number;
}

export class ConntrackSource {
  readonly stats: ConntrackStats = { lines: 0, events: 0, unparsed: 0, overflows: 0 };
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private stopRequested = false;

  /**
   * Starts `conntrack -E`; resolves once it runs, rejects with its own words when it cannot (not installed, no
   * permission, no conntrack in the kernel). `onExit` hears of an exit that was not asked for.
   */
  start(onEvent: (e: ConntrackEvent) => void, options: ConntrackOptions = {}, onExit?: (why: string) => void): Promise<void> {
    const args = ['-E', '-o', 'timestamp,id', '-e', (options.types ?? ['NEW']).join(','), '-b', String(options.receiveBuffer ?? 8 << 20)];
    const command = options.command ?? 'conntrack';
    const [cmd, argv] = options.netns ? ['nsenter', [`--net=${options.netns}`, '--', command, ...args]] : [command, args];
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    let started = false;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    return new Promise((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`cannot run ${cmd}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
      createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
        this.stats.lines++;
        const ev = parseConntrackLine(line);
        if (!ev) {
          this.stats.unparsed++;
          return;
        }
        this.stats.events++;
        onEvent(ev);
      });
      createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
        if (isOverflowWarning(line)) this.stats.overflows++;
        else if (stderr.length < 2000) stderr += line + '\n';
      });
      // conntrack reports a failure to subscribe at once and exits; alive after a moment means listening
      const timer = setTimeout(() => {
        started = true;
        resolve();
      }, 300);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        const why = (stderr.trim().split('\n').filter((l) => !/flow events have been shown/.test(l)).join('; ') || `exited with ${signal ?? code}`).slice(0, 500);
        if (!started) reject(new Error(why));
        else if (!this.stopRequested) onExit?.(why);
      });
    });
  }

  /** Stops conntrack and waits for the events it had already printed. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.child?.kill('SIGTERM');
    await this.exited;
  }
}
