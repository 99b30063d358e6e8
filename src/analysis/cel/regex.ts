/**
 * Regular expressions with RE2 semantics (what cel-go and Kubernetes use): re2js, a port of RE2/J.
 * Backreferences and lookaround are rejected as RE2 rejects them; matching is linear in the input.
 * Compiled patterns are cached (bounded), since policies repeat the same patterns for every object.
 */
import { RE2JS } from 're2js';
import { CelEvalError } from './errors.js';
import { BoundedMap } from '../../core/bounded-map.js';

export interface Matcher {
  test(s: string): boolean;
  /** first match, or '' when none (Kubernetes' find) */
  find(s: string): string;
  /** up to `limit` matches (all when limit < 0) */
  findAll(s: string, limit: number): string[];
}

const MAX_PATTERN = 10_000;
const cache = new BoundedMap<string, Matcher | Error>(1000);

export function compileRegex(pattern: string): Matcher {
  const hit = cache.get(pattern);
  if (hit instanceof Error) throw hit;
  if (hit) return hit;
  let out: Matcher | Error;
  if (pattern.length > MAX_PATTERN) out = new CelEvalError(`regular expression longer than ${MAX_PATTERN} characters`);
  else {
    try {
      const re = RE2JS.compile(pattern);
      out = {
        test: (s) => re.matcher(s).find(),
        find: (s) => {
          const m = re.matcher(s);
          return m.find() ? (m.group() ?? '') : '';
        },
        findAll: (s, limit) => {
          const res: string[] = [];
          if (limit === 0) return res;
          const m = re.matcher(s);
          while (m.find()) {
            res.push(m.group() ?? '');
            if (limit > 0 && res.length >= limit) break;
          }
          return res;
        },
      };
    } catch (e) {
      // RE2 names the problem and quotes the offending part of the pattern; patterns may come from the data,
      // so only the problem is kept ("error parsing regexp: invalid escape sequence: `\1`" → "invalid escape sequence")
      const problem = /^error parsing regexp: ([^:`]+)/.exec((e as Error).message)?.[1]?.trim() ?? 'syntax error';
      out = new CelEvalError(`invalid regular expression: ${problem}`);
    }
  }
  cache.set(pattern, out);
  if (out instanceof Error) throw out;
  return out;
}
