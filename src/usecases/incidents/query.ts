/** Incidents as the API serves them: newest first, filtered, paged with `next`. */
import { UsageError } from '../../core/errors.js';
import type { IncidentRow } from '../../sources/store/incidents.js';
import { listIncidents } from '../../sources/store/incidents.js';
import type { Store } from '../../sources/store/open.js';
import { instantParam, listParam } from '../history/findings.js';

export interface IncidentQuery {
  cluster?: string | string[];
  namespace?: string | string[];
  detector?: string | string[];
  severity?: string | string[];
  status?: string | string[];
  since?: string;
  limit?: number;
  next?: string;
}

export function incidentView(r: IncidentRow) {
  return {
    cluster: r.cluster,
    id: r.id,
    detector: r.detector,
    severity: r.severity,
    status: r.status,
    title: r.title,
    firstSeen: new Date(r.first_at).toISOString(),
    lastSeen: new Date(r.last_at).toISOString(),
    count: r.count,
    exceptionId: r.exception_id,
    incident: JSON.parse(r.body) as Record<string, unknown>,
  };
}

export async function queryIncidents(store: Store, q: IncidentQuery) {
  const limit = q.limit ?? 100;
  let after: { lastAt: number; cluster: string; id: string } | undefined;
  if (q.next) {
    try {
      const [lastAt, cluster, id] = JSON.parse(Buffer.from(q.next, 'base64url').toString('utf8')) as [number, string, string];
      if (typeof lastAt !== 'number' || typeof cluster !== 'string' || typeof id !== 'string') throw new Error();
      after = { lastAt, cluster, id };
    } catch {
      throw new UsageError('next is not a cursor this server issued');
    }
  }
  const { rows, more } = await listIncidents(
    store,
    { clusters: listParam(q.cluster), namespaces: listParam(q.namespace), detectors: listParam(q.detector), severities: listParam(q.severity), statuses: listParam(q.status), since: instantParam(q.since, 'since') },
    limit,
    after,
  );
  const last = rows[rows.length - 1];
  return { items: rows.map(incidentView), next: more && last ? Buffer.from(JSON.stringify([last.last_at, last.cluster, last.id])).toString('base64url') : null };
}
