/**
 * The cut: the fewest changes that leave no path from the sources to the targets.
 *
 * Each path is broken by any change on any of its hops, so a set of changes breaks a set of paths when it meets
 * every path's set of changes: a minimum hitting set. It is solved exactly by branch and bound (branch on the
 * options of the path with the fewest, bound by a greedy packing of pairwise disjoint paths) within a budget of
 * search nodes; past the budget the greedy answer (at most ln(paths)+1 times the minimum) is kept and said so.
 *
 * The paths found first are only some of the paths. So the cut is checked the way it would be applied: its
 * changes are removed from the graph and the searches run again; any path still found joins the set and the
 * hitting set is solved again (lazy constraint generation). A set that is minimum for some of the paths and
 * breaks all of them is minimum for all of them: the answer is exact whenever every round was.
 */
import type { Change } from './model.js';
import type { AttackGraph } from './build.js';
import { shortestPaths, type EdgePath } from './search.js';

export interface CutResult {
  changes: Change[];
  /** Every round's hitting set was solved exactly. */
  exact: boolean;
  /** No path is left once the changes are applied (false when some path has no change we know of). */
  complete: boolean;
  /** Paths no change of ours breaks. */
  uncuttable: EdgePath[];
  rounds: number;
  /** Paths the checks found beyond those given (each a shortest path once the cut so far is applied). */
  more: EdgePath[];
}

const BUDGET = 200_000;
const MAX_ROUNDS = 100;

/** Change keys of a path. */
export function changeKeys(p: EdgePath): string[] {
  const keys = new Set<string>();
  for (const e of p) for (const c of e.changes) keys.add(c.key);
  return [...keys].sort();
}

function greedy(sets: readonly string[][]): string[] {
  const chosen: string[] = [];
  let open = sets;
  while (open.length > 0) {
    const count = new Map<string, number>();
    for (const s of open) for (const k of s) count.set(k, (count.get(k) ?? 0) + 1);
    let best = '';
    let n = -1;
    for (const [k, c] of count) if (c > n || (c === n && k < best)) [best, n] = [k, c];
    chosen.push(best);
    open = open.filter((s) => !s.includes(best));
  }
  return chosen;
}

/** Sets that are supersets of another are met whenever that one is: drop them. */
function minimal(sets: readonly string[][]): string[][] {
  const uniq = [...new Map(sets.map((s) => [s.join('\u0000'), s])).values()].sort((a, b) => a.length - b.length);
  const out: string[][] = [];
  for (const s of uniq) {
    if (out.some((o) => o.every((k) => s.includes(k)))) continue;
    out.push(s);
  }
  return out;
}

/** Minimum hitting set: exact when the search stays within the budget. */
export function hittingSet(input: readonly string[][], budget = BUDGET): { set: string[]; exact: boolean } {
  const sets = minimal(input);
  let best = greedy(sets);
  let nodes = 0;
  const lowerBound = (open: readonly string[][]): number => {
    const used = new Set<string>();
    let n = 0;
    for (const s of open) {
      if (s.some((k) => used.has(k))) continue;
      n++;
      for (const k of s) used.add(k);
    }
    return n;
  };
  const search = (chosen: string[], open: readonly string[][]): boolean => {
    if (++nodes > budget) return false;
    if (open.length === 0) {
      if (chosen.length < best.length) best = [...chosen];
      return true;
    }
    if (chosen.length + lowerBound(open) >= best.length) return true;
    let pick = open[0];
    for (const s of open) if (s.length < pick.length) pick = s;
    for (const k of pick) {
      chosen.push(k);
      const ok = search(chosen, open.filter((s) => !s.includes(k)));
      chosen.pop();
      if (!ok) return false;
    }
    return true;
  };
  const exact = search([], sets);
  return { set: best.sort(), exact };
}

/** The cut for the paths found from `sources` to `targets`, checked by searching again without its changes. */
export function minimumCut(g: AttackGraph, sources: readonly string[], targets: readonly string[], found: readonly EdgePath[]): CutResult {
  const byKey = new Map<string, Change>();
  const note = (p: EdgePath): void => {
    for (const e of p) for (const c of e.changes) byKey.set(c.key, c);
  };
  const uncuttable = found.filter((p) => changeKeys(p).length === 0);
  const sets = found.map(changeKeys).filter((s) => s.length > 0);
  found.forEach(note);
  let exact = true;
  let set: string[] = [];
  let rounds = 0;
  let complete = uncuttable.length === 0;
  const more: EdgePath[] = [];
  while (rounds < MAX_ROUNDS) {
    rounds++;
    const h = hittingSet(sets);
    exact &&= h.exact;
    set = h.set;
    if (!complete) break; // a path no change breaks stays: checking again would only find it again
    const removed = new Set(set);
    const again: EdgePath[] = [];
    for (const s of sources) for (const p of shortestPaths(g, s, targets, removed).values()) again.push(p);
    if (again.length === 0) break;
    for (const p of again) {
      more.push(p);
      note(p);
      const keys = changeKeys(p);
      if (keys.length === 0) {
        uncuttable.push(p);
        complete = false;
      } else sets.push(keys);
    }
    if (rounds === MAX_ROUNDS) complete = false;
  }
  if (!complete && uncuttable.length > 0) {
    // solve once more for the cuttable paths collected, so the changes offered break all of those
    const h = hittingSet(sets);
    exact &&= h.exact;
    set = h.set;
  }
  return { changes: set.map((k) => byKey.get(k)!), exact, complete, uncuttable, rounds, more };
}
