/** The rules listed in Falco rule files (name, file, priority), for the coverage page and its test. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isJsonMap } from '../../core/json.js';
import type { FalcoRuleEntry } from '../../engine/detector-docs.js';

export function readFalcoRules(dir: string): FalcoRuleEntry[] {
  const out: FalcoRuleEntry[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const doc = yaml.load(readFileSync(join(dir, file), 'utf8'));
    for (const item of Array.isArray(doc) ? doc : []) {
      if (isJsonMap(item) && typeof item.rule === 'string' && typeof item.priority === 'string') out.push({ rule: item.rule, file, priority: item.priority });
    }
  }
  return out;
}
