/**
 * Where the matcher gets advisories from. The SQLite store (src/sources/vulndb) implements this; tests and
 * small callers can use the in-memory one. Lookups are by (ecosystem key, normalised package name) — see
 * ecosystems.ts — so both sides index affected entries exactly the same way.
 */
import { ecosystemKey, normalizeName } from './ecosystems.js';
import type { OsvRecord } from './osv.js';

export interface AdvisorySource {
  /**
   * Every record with an `affected` entry for this ecosystem key and normalised name (withdrawn ones included).
   * A source may trim each record's `affected` to the entries for this key (the SQLite store does).
   */
  advisoriesFor(ecosystem: string, name: string): OsvRecord[];
  /**
   * Whether the source holds any advisory for this ecosystem key (`Debian:12`, `npm`). A package of an ecosystem
   * the source does not cover cannot be judged: "no advisory" would mean "no data", not "not vulnerable".
   */
  covers?(ecosystem: string): boolean;
}

/** The (ecosystem key, normalised name) pairs a record is indexed under. */
export function indexKeys(record: OsvRecord): { ecosystem: string; name: string }[] {
  const seen = new Set<string>();
  const out: { ecosystem: string; name: string }[] = [];
  for (const a of record.affected ?? []) {
    if (!a.package?.ecosystem || !a.package.name) continue;
    const ecosystem = ecosystemKey(a.package.ecosystem);
    const name = normalizeName(ecosystem, a.package.name);
    const k = `${ecosystem}\u0000${name}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ ecosystem, name });
    }
  }
  return out;
}

export class MemoryAdvisorySource implements AdvisorySource {
  private readonly byKey = new Map<string, OsvRecord[]>();

  constructor(records: Iterable<OsvRecord>) {
    const byId = new Map<string, OsvRecord>();
    for (const r of records) {
      const prev = byId.get(r.id);
      if (!prev || (r.modified ?? '') >= (prev.modified ?? '')) byId.set(r.id, r);
    }
    for (const r of byId.values()) {
      for (const k of indexKeys(r)) {
        const key = `${k.ecosystem}\u0000${k.name}`;
        const list = this.byKey.get(key) ?? [];
        list.push(r);
        this.byKey.set(key, list);
      }
    }
  }

  advisoriesFor(ecosystem: string, name: string): OsvRecord[] {
    return this.byKey.get(`${ecosystem}\u0000${name}`) ?? [];
  }
}
