/**
 * Is the long-running agent still doing its work? What its liveness probe asks (`agent --health-port`). The agent
 * is alive while each part of it shows recent progress:
 * - between passes, its wait loop ticks (every 250 ms; silence for `idleLimitMs` means the loop or the event loop
 *   hangs);
 * - a pass ends within `passLimitMs` (a pass stuck on a read or an upload never ends by itself);
 * - in watch mode, every collection's watch makes progress: the API server ends each watch request within its
 *   timeoutSeconds (ClusterChangeWatch asks for WATCH_TIMEOUT_SECONDS) and the watch opens the next one, so a watch
 *   silent for longer than that plus `watchGraceMs` hangs on a dead connection and sees no change any more.
 * A failing pass or a watch retrying after errors is alive: it is reported in the log and tried again.
 */
import { WATCH_TIMEOUT_SECONDS } from '../../sources/cluster/watch.js';

export interface LivenessLimits {
  idleLimitMs: number;
  passLimitMs: number;
  watchGraceMs: number;
}

export const DEFAULT_LIVENESS: LivenessLimits = { idleLimitMs: 60_000, passLimitMs: 30 * 60_000, watchGraceMs: 120_000 };

export interface Liveness {
  live: boolean;
  /** Why not (or what it is doing), for the probe's body and the log. */
  state: string;
}

export class AgentLiveness {
  private lastTick: number;
  private passSince: number | undefined;
  /** The longest time (ms) any running watch has been silent, from the current ClusterChangeWatch. */
  private watchSilence: ((now: number) => number) | undefined;

  constructor(
    now: number,
    private readonly limits: LivenessLimits = DEFAULT_LIVENESS,
  ) {
    this.lastTick = now;
  }

  tick(now: number): void {
    this.lastTick = now;
  }

  passStarted(now: number): void {
    this.passSince = now;
  }

  passEnded(now: number): void {
    this.passSince = undefined;
    this.lastTick = now;
  }

  watching(silence: ((now: number) => number) | undefined): void {
    this.watchSilence = silence;
  }

  check(now: number): Liveness {
    const s = (ms: number) => `${Math.round(ms / 1000)} s`;
    if (this.passSince !== undefined) {
      const running = now - this.passSince;
      if (running > this.limits.passLimitMs) return { live: false, state: `a pass has been running for ${s(running)} (limit ${s(this.limits.passLimitMs)})` };
    } else if (now - this.lastTick > this.limits.idleLimitMs) return { live: false, state: `the wait loop has not run for ${s(now - this.lastTick)}` };
    const silent = this.watchSilence?.(now) ?? 0;
    const watchLimit = WATCH_TIMEOUT_SECONDS * 1000 + this.limits.watchGraceMs;
    if (silent > watchLimit) return { live: false, state: `a watch has been silent for ${s(silent)} (the API server ends each within ${WATCH_TIMEOUT_SECONDS} s)` };
    return { live: true, state: this.passSince !== undefined ? `passing for ${s(now - this.passSince)}` : 'waiting' };
  }
}
