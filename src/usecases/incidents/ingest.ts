/**
 * Runtime incidents from `runtime serve` (or any producer): newline-delimited JSON, one incident per line,
 * posted for one cluster. An incident is identified by its producer's id within the cluster: posting it again
 * (a retry, or an update as it grows) never duplicates it. Approved exceptions cover incidents as they cover
 * findings (rules = detector ids, kinds/names = the owning workload); new critical and high incidents raise an
 * event for notifications. Bounded: 64 KiB per incident, 10,000 per post.
 *
 *   {"id":"…","detector":"shell-in-container","severity":"high","title":"…","firstSeen":"…","lastSeen":"…",
 *    "count":3,"workload":{"namespace":"shop","pod":"web-7f…","owner":{"kind":"Deployment","name":"web"},…},…}
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isSeverity } from '../../core/model.js';
import { writeAudit } from '../../sources/store/audit.js';
import { emitEvent } from '../../sources/store/events.js';
import { activeExceptions } from '../../sources/store/exceptions.js';
import type { IncidentRow } from '../../sources/store/incidents.js';
import { exceptIncidents, upsertIncidents } from '../../sources/store/incidents.js';
import type { Store } from '../../sources/store/open.js';
import { lines, UploadError } from '../../sources/upload/read.js';

export const INCIDENT_MAX_BYTES = 64 * 1024;
export const INCIDENTS_PER_POST = 10_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;

function text(o: Record<string, unknown>, key: string, line: number, max: number, required = true): string {
  const v = o[key];
  if (v === undefined && !required) return '';
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new UploadError(`line ${line}: ${key} must be a string of 1 to ${max} characters`);
  return v;
}

function time(o: Record<string, unknown>, key: string, line: number): number {
  const ms = typeof o[key] === 'string' ? Date.parse(o[key] as string) : NaN;
  if (!Number.isFinite(ms)) throw new UploadError(`line ${line}: ${key} must be an RFC 3339 time`);
  return ms;
}

export function parseIncident(textLine: string, line: number, cluster: string, receivedAt: number): IncidentRow {
  if (Buffer.byteLength(textLine) > INCIDENT_MAX_BYTES) throw new UploadError(`line ${line}: an incident is at most ${INCIDENT_MAX_BYTES} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(textLine);
  } catch {
    throw new UploadError(`line ${line}: not JSON`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UploadError(`line ${line}: an incident is an object`);
  const o = v as Record<string, unknown>;
  const id = text(o, 'id', line, 128);
  const detector = text(o, 'detector', line, 253);
  if (!NAME.test(id) || !NAME.test(detector)) throw new UploadError(`line ${line}: id and detector are names (letters, digits, . _ : / @ -)`);
  if (!isSeverity(o.severity)) throw new UploadError(`line ${line}: severity must be one of info, low, medium, high, critical`);
  const first = time(o, 'firstSeen', line);
  const last = o.lastSeen === undefined ? first : time(o, 'lastSeen', line);
  if (last < first) throw new UploadError(`line ${line}: lastSeen is before firstSeen`);
  const count = o.count === undefined ? 1 : o.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new UploadError(`line ${line}: count must be a positive integer`);
  const w = (o.workload ?? {}) as Record<string, unknown>;
  if (typeof w !== 'object' || w === null) throw new UploadError(`line ${line}: workload must be an object`);
  const owner = (w.owner ?? {}) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x.slice(0, 253) : '');
  return {
    cluster,
    id,
    detector,
    severity: o.severity,
    status: 'open',
    namespace: str(w.namespace),
    owner_kind: str(owner.kind),
    owner_name: str(owner.name),
    pod: str(w.pod),
    title: text(o, 'title', line, 1000),
    first_at: first,
    last_at: last,
    count,
    body: textLine,
    received_at: receivedAt,
    exception_id: null,
  };
}

export interface IncidentOutcome {
  cluster: string;
  received: number;
  new: number;
}

export async function ingestIncidents(store: Store, cluster: string, body: Readable | AsyncIterable<Buffer>, options: { gzip?: boolean; now: Date; actor: string; remote?: string }): Promise<IncidentOutcome> {
  if (!NAME.test(cluster) || cluster.length > 253) throw new UploadError('cluster must start with a letter or digit and hold only letters, digits and . _ : / @ -');
  const t = options.now.getTime();
  const source = options.gzip ? (body as Readable).pipe(createGunzip()) : body;
  const rows: IncidentRow[] = [];
  let n = 0;
  for await (const l of lines(source as AsyncIterable<Buffer>, { maxLineBytes: INCIDENT_MAX_BYTES, maxRecords: INCIDENTS_PER_POST, maxBytes: INCIDENT_MAX_BYTES * INCIDENTS_PER_POST })) {
    n++;
    if (l.trim() === '') continue;
    if (rows.length >= INCIDENTS_PER_POST) throw new UploadError(`more than ${INCIDENTS_PER_POST} incidents in one post`);
    rows.push(parseIncident(l, n, cluster, t));
  }
  const added = await store.db.transaction().execute(async (trx) => {
    const added = await upsertIncidents(trx, rows);
    for (const ex of await activeExceptions(trx, t)) await exceptIncidents(trx, store.dialect, ex, cluster);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const serious = added.map((id) => byId.get(id)!).filter((r) => r.severity === 'critical' || r.severity === 'high');
    if (serious.length) {
      const open = await trx.selectFrom('incidents').select('id').where('cluster', '=', cluster).where('id', 'in', serious.map((r) => r.id)).where('status', '=', 'open').execute();
      const openIds = new Set(open.map((r) => r.id));
      const shown = serious.filter((r) => openIds.has(r.id));
      if (shown.length) await emitEvent(trx, 'new-incident', cluster, { cluster, count: shown.length, incidents: shown.slice(0, 20).map((r) => ({ id: r.id, detector: r.detector, severity: r.severity, title: r.title, namespace: r.namespace, owner: r.owner_name, pod: r.pod, firstSeen: new Date(r.first_at).toISOString() })) }, t);
    }
    await writeAudit(trx, { actor: options.actor, action: 'incidents.upload', target: `cluster:${cluster}`, detail: { received: rows.length, new: added.length }, remote: options.remote }, t);
    return added;
  });
  return { cluster, received: rows.length, new: added.length };
}
