/**
 * Test support: the rule catalogue. The generated index (src/generated/rules-index.ts) is the source of truth;
 * while it has not been regenerated in this tree, the rule folders are loaded the way the generator lists them,
 * so the admission tests exercise the real rules either way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Rule } from '../../core/rule.js';
import { RULES } from '../../engine/catalog.js';

export const SRC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_DIR = join(SRC_DIR, '..');

let loaded: Promise<readonly Rule[]> | undefined;

export function ruleCatalog(): Promise<readonly Rule[]> {
  if (RULES.length > 0) return Promise.resolve(RULES as readonly Rule[]);
  loaded ??= (async () => {
    const rulesDir = join(SRC_DIR, 'rules');
    const out: Rule[] = [];
    for (const category of readdirSync(rulesDir).sort()) {
      if (!statSync(join(rulesDir, category)).isDirectory()) continue;
      for (const id of readdirSync(join(rulesDir, category)).sort()) {
        const file = join(rulesDir, category, id, 'rule.ts');
        if (!existsSync(file)) continue;
        const mod = (await import(pathToFileURL(file).href)) as { default: Rule };
        out.push(mod.default);
      }
    }
    return out;
  })();
  return loaded;
}

/** Every fixture and example manifest: the corpus on which scan and the webhook must agree. */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, accept: (name: string, dir: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, accept);
      else if (accept(name, dir)) out.push(full);
    }
  };
  walk(join(SRC_DIR, 'rules'), (name, dir) => dir.endsWith('/fixtures') && /\.ya?ml$/.test(name));
  walk(join(REPO_DIR, 'examples'), (name) => /\.(ya?ml|json)$/.test(name));
  return out;
}
