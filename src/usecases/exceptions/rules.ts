/** Rule ids and aliases of the catalogue, for exception requests that name rules either way. */
import { RULES } from '../../engine/catalog.js';
import type { RuleResolver } from './workflow.js';

let index: Map<string, string[]> | undefined;

export const catalogResolver: RuleResolver = (idOrAlias) => {
  if (!index) {
    index = new Map();
    for (const r of RULES) {
      index.set(r.id, [r.id]);
      for (const a of r.aliases ?? []) index.set(a, [...(index.get(a) ?? []), r.id]);
    }
  }
  return index.get(idOrAlias);
};
