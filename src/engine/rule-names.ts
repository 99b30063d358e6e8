/** Rule ids as people type them: ids or aliases, and the nearest id when one is mistyped. */
import type { RuleMeta } from '../core/rule.js';

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The catalogue id or alias closest to `text`: by edit distance (a typo) or by shared words (the words of an id in
 * another order, or another tool's name for the check), whichever is closer; none when nothing is reasonably close.
 */
export function nearestRuleId(catalog: readonly RuleMeta[], text: string): string | undefined {
  const lower = text.toLowerCase();
  const words = new Set(lower.split(/[^a-z0-9]+/).filter(Boolean));
  let best: { id: string; score: number } | undefined;
  for (const r of catalog) {
    for (const name of [r.id, ...(r.aliases ?? [])]) {
      const n = name.toLowerCase();
      const edit = distance(lower, n) / Math.max(lower.length, n.length);
      const theirs = n.split(/[^a-z0-9]+/).filter(Boolean);
      const shared = theirs.filter((w) => words.has(w)).length / Math.max(words.size, theirs.length);
      const score = Math.min(edit, 1 - shared);
      if (!best || score < best.score) best = { id: r.id, score };
    }
  }
  return best && best.score <= 0.34 ? best.id : undefined;
}

/** `unknown rule "x" (did you mean "y"?; \`kubeguard rules list\` lists them)` */
export function unknownRuleText(catalog: readonly RuleMeta[], text: string): string {
  const near = nearestRuleId(catalog, text);
  return `unknown rule "${text}" (${near ? `did you mean "${near}"? ` : ''}\`kubeguard rules list\` lists them)`;
}
