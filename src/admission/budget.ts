/**
 * The request budget, enforced before the work. Rules run synchronously: once started, a request holds the event
 * loop until judged, and every request behind it waits. So each request's cost is estimated first, from what it
 * holds — its containers × the rules that judge each, and its size — and refused at once (failure mode) when
 *   - it would not finish within what is left of its own budget, or
 *   - it is heavy (over a twentieth of the budget) and heavy requests already took half of the last budget's
 *     worth of time: large reviews then cannot starve small ones (30 reviews of 10,000 containers each used to
 *     hold benign requests 6 s, past the API server's 5 s webhook timeout).
 * The cost per unit starts from a measured default and follows what requests actually cost (moving average).
 */
import type { KubeObject } from '../core/model.js';
import { podTemplateOf } from '../core/podspec.js';

/** Cost of one container judged by one rule, and of one byte of body, in ms (this machine: ~4 µs, 0.1 µs). */
const DEFAULT_MS_PER_UNIT = 0.004;
const BYTES_PER_UNIT = 64;

export function containersOf(object: KubeObject | null | undefined): number {
  const t = object ? podTemplateOf(object) : undefined;
  if (!t) return 0;
  let n = 0;
  for (const k of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const list = t.spec[k];
    if (Array.isArray(list)) n += list.length;
  }
  return n;
}

/** Work units of a request: every rule looks at every container; bytes cost parsing, copying and replying. */
export function workUnits(bodyBytes: number, containers: number, rules: number): number {
  return Math.max(1, containers) * rules + bodyBytes / BYTES_PER_UNIT;
}

export type BudgetVerdict = { ok: true; estimateMs: number } | { ok: false; estimateMs: number; why: string };

export class BudgetGuard {
  private msPerUnit: number;
  /** Estimates of heavy requests admitted, with when (performance.now()), within the last budget's time. */
  private readonly heavy: { at: number; ms: number }[] = [];

  constructor(options: { msPerUnit?: number } = {}) {
    this.msPerUnit = options.msPerUnit ?? DEFAULT_MS_PER_UNIT;
  }

  /** Whether a request of `units` may start now, with `leftMs` of its `budgetMs` left. */
  admit(units: number, leftMs: number, budgetMs: number, now: number): BudgetVerdict {
    const estimateMs = units * this.msPerUnit;
    if (estimateMs > leftMs) {
      return { ok: false, estimateMs, why: `judging it would take about ${Math.round(estimateMs)} ms, more than the ${Math.max(0, Math.round(leftMs))} ms left of its ${budgetMs} ms budget` };
    }
    if (estimateMs > budgetMs / 20) {
      while (this.heavy.length > 0 && this.heavy[0].at < now - budgetMs) this.heavy.shift();
      const recent = this.heavy.reduce((s, h) => s + h.ms, 0);
      if (recent + estimateMs > budgetMs / 2) {
        return { ok: false, estimateMs, why: `large requests already took ${Math.round(recent)} ms of the last ${budgetMs} ms; this one (about ${Math.round(estimateMs)} ms) would delay the others past their budget` };
      }
      this.heavy.push({ at: now, ms: estimateMs });
    }
    return { ok: true, estimateMs };
  }

  /** What a judged request actually cost: the estimate follows (requests too small to measure are left out). */
  learn(units: number, ms: number): void {
    if (units < 10_000 || ms <= 0) return;
    this.msPerUnit = 0.8 * this.msPerUnit + 0.2 * (ms / units);
  }
}
