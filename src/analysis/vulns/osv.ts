/**
 * The OSV record shape (https://ossf.github.io/osv-schema/, schema 1.x) — only the fields kubeguard reads.
 * Unknown fields are kept by the store (records are stored whole) and ignored here.
 */

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type?: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

/** The outcome of checking one record: the record (normalised), or why it is refused (its id when it has one). */
export type OsvCheck = { ok: true; record: OsvRecord } | { ok: false; id?: string; problem: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`);

class Refused extends Error {}

function need(ok: boolean, at: string, what: string, v: unknown): void {
  if (!ok) throw new Refused(`${at} must be ${what} (got ${typeName(v)})`);
}

function optString(o: Json, key: string, at: string): void {
  if (o[key] !== undefined) need(typeof o[key] === 'string', `${at}/${key}`, 'a string', o[key]);
}

function stringList(o: Json, key: string, at: string): void {
  const v = o[key];
  if (v === undefined) return;
  need(Array.isArray(v), `${at}/${key}`, 'a list of strings', v);
  (v as unknown[]).forEach((x, i) => need(typeof x === 'string', `${at}/${key}/${i}`, 'a string', x));
}

function optObject(o: Json, key: string, at: string): void {
  if (o[key] !== undefined) need(isObject(o[key]), `${at}/${key}`, 'an object', o[key]);
}

/** `severity`: a list of {type, score}; a bare label ("HIGH", some databases write it so) becomes a database label. */
function severityOf(o: Json, at: string): void {
  const v = o.severity;
  if (v === undefined) return;
  if (typeof v === 'string') {
    const ds = isObject(o.database_specific) ? o.database_specific : {};
    if (ds.severity === undefined) o.database_specific = { ...ds, severity: v };
    delete o.severity;
    return;
  }
  need(Array.isArray(v), `${at}/severity`, 'a list', v);
  (v as unknown[]).forEach((s, i) => {
    need(isObject(s), `${at}/severity/${i}`, 'an object', s);
    const e = s as Json;
    need(typeof e.type === 'string', `${at}/severity/${i}/type`, 'a string', e.type);
    need(typeof e.score === 'string', `${at}/severity/${i}/score`, 'a string', e.score);
  });
}

function checkAffected(a: unknown, at: string): void {
  need(isObject(a), at, 'an object', a);
  const o = a as Json;
  if (o.package !== undefined) {
    need(isObject(o.package), `${at}/package`, 'an object', o.package);
    const p = o.package as Json;
    optString(p, 'ecosystem', `${at}/package`);
    optString(p, 'name', `${at}/package`);
    optString(p, 'purl', `${at}/package`);
  }
  if (o.ranges !== undefined) {
    need(Array.isArray(o.ranges), `${at}/ranges`, 'a list', o.ranges);
    (o.ranges as unknown[]).forEach((r, i) => {
      const ra = `${at}/ranges/${i}`;
      need(isObject(r), ra, 'an object', r);
      const range = r as Json;
      need(typeof range.type === 'string', `${ra}/type`, 'a string', range.type);
      optString(range, 'repo', ra);
      need(Array.isArray(range.events), `${ra}/events`, 'a list', range.events);
      (range.events as unknown[]).forEach((e, j) => {
        need(isObject(e), `${ra}/events/${j}`, 'an object', e);
        for (const k of ['introduced', 'fixed', 'last_affected', 'limit']) optString(e as Json, k, `${ra}/events/${j}`);
      });
    });
  }
  stringList(o, 'versions', at);
  severityOf(o, at);
  optObject(o, 'ecosystem_specific', at);
  optObject(o, 'database_specific', at);
}

/**
 * Checks a value read from an OSV export against the schema (https://ossf.github.io/osv-schema/) for every field
 * kubeguard reads, so a record of the wrong shape is refused at import — with its id and the field — instead of
 * failing every later scan (a `"fixed": 1.5` once broke version comparison). Unknown fields are kept.
 */
export function checkOsvRecord(value: unknown): OsvCheck {
  if (!isObject(value)) return { ok: false, problem: `a record must be an object (got ${typeName(value)})` };
  const id = typeof value.id === 'string' && value.id !== '' ? value.id : undefined;
  if (id === undefined) return { ok: false, problem: 'missing "id"' };
  const record = { ...value } as Json;
  try {
    for (const k of ['modified', 'published', 'withdrawn', 'summary', 'details', 'schema_version']) optString(record, k, '');
    for (const k of ['aliases', 'related', 'upstream']) stringList(record, k, '');
    severityOf(record, '');
    optObject(record, 'database_specific', '');
    if (record.affected !== undefined) {
      need(Array.isArray(record.affected), '/affected', 'a list', record.affected);
      record.affected = (record.affected as unknown[]).map((a, i) => {
        const copy = isObject(a) ? { ...a } : a;
        checkAffected(copy, `/affected/${i}`);
        return copy;
      });
    }
    if (record.references !== undefined) {
      need(Array.isArray(record.references), '/references', 'a list', record.references);
      (record.references as unknown[]).forEach((r, i) => {
        need(isObject(r), `/references/${i}`, 'an object', r);
        need(typeof (r as Json).url === 'string', `/references/${i}/url`, 'a string', (r as Json).url);
        optString(r as Json, 'type', `/references/${i}`);
      });
    }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, id, problem: e.message };
    throw e;
  }
  return { ok: true, record: record as unknown as OsvRecord };
}
