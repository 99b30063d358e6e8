/**
 * Finding queries as the API serves them: filters from query parameters, key-based paging with an opaque
 * `next` cursor, and the item shape of the contract
 * ({fingerprint, ruleId, severity, status, cluster, resource, firstSeen, lastSeen, fixedAt}, then details).
 */
import { UsageError } from '../../core/errors.js';
import type { ResourceRef } from '../../core/model.js';
import type { FindingFilter, FindingListRow, FindingOrder, PageKey } from '../../sources/store/findings.js';
import { countFindingsUpTo, FINDING_ORDERS, getFinding, listFindings, pageKeyOf } from '../../sources/store/findings.js';
import { NotFoundError } from '../errors.js';
import type { FindingDetail } from './detail.js';
import { parseDetail } from './detail.js';
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

export function findingView(r: FindingListRow): FindingView {
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
  /** Text in the object's name or namespace, the rule id or the message. */
  q?: string;
  /** One of FINDING_ORDERS (default: by key). */
  sort?: string;
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
    search: q.q?.trim() || undefined,
  };
}

export const SORTS = Object.keys(FINDING_ORDERS) as FindingOrder[];

function orderOf(sort: string | undefined): FindingOrder {
  if (sort === undefined || sort === '') return 'key';
  if (!(SORTS as string[]).includes(sort)) throw new UsageError(`sort must be one of ${SORTS.join(', ')}`);
  return sort as FindingOrder;
}

/**
 * The opaque `next`: the order's key values of the page's last row, after the order's name (the default order's
 * cursor is [cluster, fingerprint], as in the first version), so a cursor is refused by another order.
 */
export function encodeCursor(k: PageKey, order: FindingOrder = 'key'): string {
  return Buffer.from(JSON.stringify(order === 'key' ? k : [order, ...k])).toString('base64url');
}

export function decodeCursor(s: string, order: FindingOrder = 'key'): PageKey {
  const types = FINDING_ORDERS[order].columns.map((c) => (c === 'severity_rank' || c === 'last_seen' || c === 'first_seen' ? 'number' : 'string'));
  try {
    let v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && order !== 'key') v = v[0] === order ? v.slice(1) : undefined;
    if (Array.isArray(v) && v.length === types.length && v.every((x, i) => typeof x === types[i])) return v as PageKey;
  } catch {
    /* fall through */
  }
  throw new UsageError('next is not a cursor this server issued for this sort');
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

export async function queryFindings(store: Store, q: FindingQuery): Promise<{ items: FindingView[]; next: string | null }> {
  const limit = q.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new UsageError(`limit must be an integer from 1 to ${MAX_PAGE}`);
  if (q.q !== undefined && q.q.length > 200) throw new UsageError('q is longer than 200 characters');
  const order = orderOf(q.sort);
  const { rows, more } = await listFindings(store, filterOf(q), limit, q.next ? decodeCursor(q.next, order) : undefined, order);
  const last = rows[rows.length - 1];
  return { items: rows.map(findingView), next: more && last ? encodeCursor(pageKeyOf(last, order), order) : null };
}

export const MAX_TOTAL_CAP = 100_000;

/** How many findings match the filters, counted up to `cap` (default 10,000); `more`: there are more than that. */
export async function totalFindings(store: Store, q: FindingQuery & { cap?: number }): Promise<{ count: number; more: boolean }> {
  const cap = q.cap ?? 10_000;
  if (!Number.isInteger(cap) || cap < 1 || cap > MAX_TOTAL_CAP) throw new UsageError(`cap must be an integer from 1 to ${MAX_TOTAL_CAP}`);
  const n = await countFindingsUpTo(store, filterOf(q), cap);
  return { count: Math.min(n, cap), more: n > cap };
}

export type FindingDetailView = FindingView & FindingDetail;

/** One finding with what the latest scan said about it: location, remediation, patch, evidence, related findings. */
export async function findingDetail(store: Store, cluster: string, fingerprint: string): Promise<FindingDetailView> {
  const row = await getFinding(store, cluster, fingerprint);
  if (!row) throw new NotFoundError(`no finding ${fingerprint} in cluster ${cluster}`);
  return { ...findingView(row), ...parseDetail(row.detail) };
}
