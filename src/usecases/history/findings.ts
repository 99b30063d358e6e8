/**
 * Finding queries as the API serves them: filters from query parameters, key-based paging with an opaque
 * `next` cursor, and the item shape of the contract
 * ({fingerprint, ruleId, severity, status, cluster, resource, firstSeen, lastSeen, fixedAt}, then details).
 */
import { UsageError } from '../../core/errors.js';
import type { ResourceRef } from '../../core/model.js';
import type { FindingFilter, FindingRow, PageKey } from '../../sources/store/findings.js';
import { listFindings } from '../../sources/store/findings.js';
import type { Store } from '../../sources/store/open.js';

export const STATUSES = ['open', 'fixed', 'excepted'] as const;

export interface FindingView {
  fingerprint: string;
  ruleId: string;
  severity: string;
  status: string;
  cluster: string;
  resource: ResourceRef;
  firstSeen: string;
  lastSeen: string;
  fixedAt: string | null;
  path: string;
  message: string;
  source: string;
  reopenedAt: string | null;
  reopenCount: number;
  exceptionId: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function findingView(r: FindingRow): FindingView {
  return {
    fingerprint: r.fingerprint,
    ruleId: r.rule_id,
    severity: r.severity,
    status: r.status,
    cluster: r.cluster,
    resource: { apiVersion: r.api_version, kind: r.kind, ...(r.namespace !== '' && { namespace: r.namespace }), name: r.name },
    firstSeen: iso(r.first_seen)!,
    lastSeen: iso(r.last_seen)!,
    fixedAt: iso(r.fixed_at),
    path: r.path,
    message: r.message,
    source: r.source,
    reopenedAt: iso(r.reopened_at),
    reopenCount: r.reopen_count,
    exceptionId: r.exception_id,
  };
}

export interface FindingQuery {
  cluster?: string | string[];
  namespace?: string | string[];
  ruleId?: string | string[];
  severity?: string | string[];
  status?: string | string[];
  source?: string | string[];
  kind?: string | string[];
  name?: string | string[];
  /** First seen at or after this instant: "new since". */
  since?: string;
  fixedSince?: string;
  limit?: number;
  next?: string;
}

/** `a,b` and repeated parameters alike; empty values ignored. */
export function listParam(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const out = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

export function instantParam(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new UsageError(`${name} must be an ISO 8601 date or date-time`);
  return ms;
}

export function filterOf(q: FindingQuery): FindingFilter {
  const statuses = listParam(q.status);
  for (const s of statuses ?? []) if (!(STATUSES as readonly string[]).includes(s)) throw new UsageError(`status must be one of ${STATUSES.join(', ')}`);
  return {
    clusters: listParam(q.cluster),
    namespaces: listParam(q.namespace),
    ruleIds: listParam(q.ruleId),
    severities: listParam(q.severity),
    statuses,
    sources: listParam(q.source),
    kinds: listParam(q.kind),
    names: listParam(q.name),
    firstSeenFrom: instantParam(q.since, 'since'),
    fixedFrom: instantParam(q.fixedSince, 'fixedSince'),
  };
}

export function encodeCursor(k: PageKey): string {
  return Buffer.from(JSON.stringify([k.cluster, k.fingerprint])).toString('base64url');
}

export function decodeCursor(s: string): PageKey {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { cluster: v[0], fingerprint: v[1] };
  } catch {
    /* fall through */
  }
  throw new UsageError('next is not a cursor this server issued');
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

export async function queryFindings(store: Store, q: FindingQuery): Promise<{ items: FindingView[]; next: string | null }> {
  const limit = q.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new UsageError(`limit must be an integer from 1 to ${MAX_PAGE}`);
  const { rows, more } = await listFindings(store, filterOf(q), limit, q.next ? decodeCursor(q.next) : undefined);
  const last = rows[rows.length - 1];
  return { items: rows.map(findingView), next: more && last ? encodeCursor({ cluster: last.cluster, fingerprint: last.fingerprint }) : null };
}
