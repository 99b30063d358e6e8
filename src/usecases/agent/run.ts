/**
 * The agent's passes over time: one at start, then one every `intervalMs` after the last ended, and — in watch
 * mode — one soon after the cluster changed (src/sources/cluster/watch.ts: what the rules read, not status churn).
 * Changes are debounced (a pass starts once the cluster was quiet for `debounceMs`, or `maxDelayMs` after the first
 * change when it never is) and bounded (never sooner than `minGapMs` after the last pass ended), so a busy cluster
 * costs at most one pass per `minGapMs`. Passes never overlap; stopping ends the wait or lets the pass in flight
 * finish.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../../core/errors.js';
import type { ApiConnection } from '../../sources/node/pod-watch.js';
import { ClusterChangeWatch } from '../../sources/cluster/watch.js';
import type { AgentSettings, CycleOutcome } from './cycle.js';
import { agentCycle } from './cycle.js';
import type { AgentLiveness } from './liveness.js';

export interface WatchSettings {
  connect: () => Promise<ApiConnection>;
  debounceMs: number;
  maxDelayMs: number;
  minGapMs: number;
}

export interface AgentLoop {
  intervalMs: number;
  watch?: WatchSettings;
  signal: AbortSignal;
  /** One line per pass (and per watch problem), for the log. */
  report: (line: string) => void;
  /** Told of the loop's progress, for the liveness probe. */
  liveness?: AgentLiveness;
}

export function describeCycle(o: CycleOutcome, cluster: string, why?: string): string {
  const n = (k: string) => Number(o.upload[k] ?? 0);
  const stale = o.exceptions.stale ? `; the server's exceptions are the last good set (${o.exceptions.stale})` : '';
  const failures = o.failures.length ? `; not listed: ${o.failures.join('; ')}` : '';
  return `agent: ${cluster}: ${why ? `${why}: ` : ''}${o.objects} objects, ${o.findings} findings, ${o.exceptions.count} server exception(s); uploaded: ${n('new')} new, ${n('fixed')} fixed, ${n('reopened')} reopened${stale}${failures}`;
}

export async function runAgent(settings: AgentSettings, loop: AgentLoop): Promise<void> {
  const cluster = settings.cluster;
  const s: AgentSettings = loop.watch ? { ...settings, hmacKey: randomBytes(32) } : settings;
  let watch: ClusterChangeWatch | undefined;
  let changes: { first: number; last: number; kinds: Set<string> } | undefined;
  let lastEnd = 0;
  let why = 'start';
  const pause = (ms: number) => sleep(ms, undefined, { signal: loop.signal }).catch(() => undefined);
  try {
    while (!loop.signal.aborted) {
      changes = undefined;
      let outcome: CycleOutcome | undefined;
      loop.liveness?.passStarted(Date.now());
      try {
        outcome = await agentCycle(s);
        loop.report(describeCycle(outcome, cluster, loop.watch ? why : undefined));
      } catch (e) {
        loop.report(`agent: ${cluster}: the pass failed (${errorMessage(e)}); the next one is in ${loop.intervalMs / 1000} s`);
      }
      lastEnd = Date.now();
      loop.liveness?.passEnded(lastEnd);
      if (loop.watch && outcome?.watch && !loop.signal.aborted) {
        await watch?.stop();
        loop.liveness?.watching(undefined);
        changes = undefined;
        const conn = await loop.watch.connect();
        watch = new ClusterChangeWatch({
          conn,
          from: outcome.watch.from,
          known: outcome.watch.known,
          hmacKey: s.hmacKey!,
          userAgent: s.userAgent,
          onChange: (kind) => {
            const now = Date.now();
            changes ??= { first: now, last: now, kinds: new Set() };
            changes.last = now;
            changes.kinds.add(kind);
          },
        });
        watch.start();
        const current = watch;
        loop.liveness?.watching((now) => current.silence(now));
      }
      // wait for the interval, or for changes to settle
      for (;;) {
        if (loop.signal.aborted) return;
        const now = Date.now();
        loop.liveness?.tick(now);
        const c = changes as { first: number; last: number; kinds: Set<string> } | undefined;
        if (c && loop.watch && now >= Math.max(Math.min(c.last + loop.watch.debounceMs, c.first + loop.watch.maxDelayMs), lastEnd + loop.watch.minGapMs)) {
          why = `changed ${[...c.kinds].sort().join(', ')}`;
          break;
        }
        if (now >= lastEnd + loop.intervalMs) {
          why = 'interval';
          break;
        }
        await pause(Math.min(250, lastEnd + loop.intervalMs - now));
      }
    }
  } finally {
    await watch?.stop();
  }
}
