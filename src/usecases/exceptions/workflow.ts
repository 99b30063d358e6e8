/**
 * The exceptions workflow: a request (rules, where, reason, owner, ticket, expiry) → approved or rejected by an
 * approver who is not the requester → in force until it expires or is revoked. While in force it marks the
 * findings it covers `excepted`; its end makes them open again. Every step is audited and raises an event.
 */
import { UsageError } from '../../core/errors.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { expiryInstant } from '../../engine/exceptions.js';
import { writeAudit } from '../../sources/store/audit.js';
import { emitEvent } from '../../sources/store/events.js';
import type { ExceptionRow } from '../../sources/store/exceptions.js';
import { activeExceptions, countExcepted, exceptFindings, getException, insertException, listExceptions, releaseFindings } from '../../sources/store/exceptions.js';
import type { Store } from '../../sources/store/open.js';
import { exceptIncidents, releaseIncidents } from '../../sources/store/incidents.js';
import { recountNow } from '../../sources/store/ingest.js';
import type { Principal } from '../access/tokens.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';

export const EXCEPTION_STATUSES = ['requested', 'approved', 'rejected', 'revoked', 'expired'] as const;

export interface ExceptionRequest {
  rules: string[];
  clusters?: string[];
  namespaces?: string[];
  kinds?: string[];
  names?: string[];
  reason: string;
  owner?: string;
  ticket?: string;
  /** YYYY-MM-DD (end of that day, UTC) or an ISO date-time, as in config exceptions. */
  expires?: string;
}

export interface ExceptionView extends ExceptionRequest {
  id: number;
  status: string;
  clusters: string[];
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  /** Findings it marks excepted now. */
  findings: number;
}

/** Resolves a rule id or alias to rule ids; undefined for ids the catalogue does not know (vulnerabilities, imported tools). */
export type RuleResolver = (idOrAlias: string) => string[] | undefined;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const list = (v: string | null) => (v === null ? undefined : (JSON.parse(v) as string[]));

export function exceptionView(row: ExceptionRow, findings = 0): ExceptionView {
  return {
    id: row.id,
    status: row.status,
    rules: JSON.parse(row.rules) as string[],
    clusters: JSON.parse(row.clusters) as string[],
    ...(row.namespaces !== null && { namespaces: list(row.namespaces) }),
    ...(row.kinds !== null && { kinds: list(row.kinds) }),
    ...(row.names !== null && { names: list(row.names) }),
    reason: row.reason,
    ...(row.owner !== null && { owner: row.owner }),
    ...(row.ticket !== null && { ticket: row.ticket }),
    ...(row.expires !== null && { expires: row.expires }),
    requestedBy: row.requested_by,
    requestedAt: iso(row.requested_at)!,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    note: row.decision_note,
    findings,
  };
}

const TOKEN = /^[A-Za-z0-9*?][A-Za-z0-9._:/@*?-]*$/;

function strings(v: string[] | undefined, what: string, max = 100): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.length > max) throw new UsageError(`${what} must be a list of 1 to ${max} values`);
  for (const s of v) if (typeof s !== 'string' || s.length > 253 || !TOKEN.test(s)) throw new UsageError(`${what} holds a value that is not a name or glob`);
  return v;
}

function text(v: string | undefined, what: string, max: number, required = false): string | undefined {
  if (v === undefined || v === '') {
    if (required) throw new UsageError(`${what} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length > max) throw new UsageError(`${what} must be text of at most ${max} characters`);
  return v;
}

export async function requestException(store: Store, who: Principal, req: ExceptionRequest, now: Date, resolve: RuleResolver): Promise<ExceptionView> {
  const rules = strings(req.rules, 'rules')!;
  if (!rules) throw new UsageError('rules is required');
  const ruleIds = rules.includes('*') ? [] : [...new Set(rules.flatMap((r) => resolve(r) ?? [r]))];
  const reason = text(req.reason, 'reason', 2000, true)!;
  let expiresAt: number | null = null;
  if (req.expires !== undefined) {
    if (typeof req.expires !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(req.expires) || !Number.isFinite(expiryInstant(req.expires))) throw new UsageError('expires must be a date (YYYY-MM-DD) or an ISO 8601 date-time');
    expiresAt = expiryInstant(req.expires);
    if (expiresAt <= now.getTime()) throw new UsageError('expires is in the past');
  }
  const row = {
    status: 'requested',
    rules: JSON.stringify(rules),
    rule_ids: JSON.stringify(ruleIds),
    clusters: JSON.stringify(strings(req.clusters, 'clusters') ?? []),
    namespaces: req.namespaces === undefined ? null : JSON.stringify(strings(req.namespaces, 'namespaces')),
    kinds: req.kinds === undefined ? null : JSON.stringify(strings(req.kinds, 'kinds')),
    names: req.names === undefined ? null : JSON.stringify(strings(req.names, 'names')),
    reason,
    owner: text(req.owner, 'owner', 200) ?? null,
    ticket: text(req.ticket, 'ticket', 200) ?? null,
    expires: req.expires ?? null,
    expires_at: expiresAt,
    requested_by: who.id,
    requested_at: now.getTime(),
    decided_by: null,
    decided_at: null,
    decision_note: null,
    expiry_warned_at: null,
  };
  const id = await store.db.transaction().execute(async (trx) => {
    const id = await insertException(trx, row);
    await writeAudit(trx, { actor: who.id, action: 'exception.request', target: `exception:${id}`, detail: { rules, reason } }, now.getTime());
    await emitEvent(trx, 'exception-requested', null, { id, rules, reason, requestedBy: who.id }, now.getTime());
    return id;
  });
  return exceptionView({ ...row, id });
}

export type Decision = 'approve' | 'reject' | 'revoke';

const FROM: Record<Decision, string> = { approve: 'requested', reject: 'requested', revoke: 'approved' };
const TO: Record<Decision, string> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };

export async function decideException(store: Store, who: Principal, id: number, decision: Decision, note: string | undefined, now: Date): Promise<ExceptionView> {
  const t = now.getTime();
  const findings = await store.db.transaction().execute(async (trx) => {
    const row = await getException(trx, id);
    if (!row) throw new NotFoundError(`no exception ${id}`);
    if (row.status !== FROM[decision]) throw new ConflictError(`exception ${id} is ${row.status}: only a ${FROM[decision]} exception can be ${TO[decision]}`);
    if (decision !== 'revoke' && row.requested_by === who.id) throw new ForbiddenError('an exception is decided by someone other than who requested it');
    if (decision === 'approve' && row.expires_at !== null && row.expires_at < t) throw new ConflictError(`exception ${id} expired before it was approved`);
    const r = await trx
      .updateTable('exceptions')
      .set({ status: TO[decision], decided_by: who.id, decided_at: t, decision_note: text(note, 'note', 2000) ?? null })
      .where('id', '=', id)
      .where('status', '=', FROM[decision])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new ConflictError(`exception ${id} was decided meanwhile`);
    let n = 0;
    if (decision === 'approve') {
      n = await exceptFindings(trx, store.dialect, { ...row, status: 'approved' });
      await exceptIncidents(trx, store.dialect, { ...row, status: 'approved' });
    }
    if (decision === 'revoke') {
      await releaseFindings(trx, store.dialect, id, t);
      await releaseIncidents(trx, id);
    }
    if (decision !== 'reject') await recountNow(trx, t, JSON.parse(row.clusters) as string[]);
    await writeAudit(trx, { actor: who.id, action: `exception.${decision}`, target: `exception:${id}`, ...(note && { detail: { note } }) }, t);
    await emitEvent(trx, 'exception-decided', null, { id, decision: TO[decision], by: who.id, rules: JSON.parse(row.rules) as string[], reason: row.reason }, t);
    return n;
  });
  const row = await getException(store.db, id);
  return exceptionView(row!, findings);
}

export async function getExceptionView(store: Store, id: number): Promise<ExceptionView> {
  const row = await getException(store.db, id);
  if (!row) throw new NotFoundError(`no exception ${id}`);
  return exceptionView(row, (await countExcepted(store.db, [id])).get(id) ?? 0);
}

export async function listExceptionViews(store: Store, statuses: string[] | undefined, limit: number, next?: string): Promise<{ items: ExceptionView[]; next: string | null }> {
  for (const s of statuses ?? []) if (!(EXCEPTION_STATUSES as readonly string[]).includes(s)) throw new UsageError(`status must be one of ${EXCEPTION_STATUSES.join(', ')}`);
  const after = next === undefined ? undefined : Number(next);
  if (after !== undefined && !Number.isInteger(after)) throw new UsageError('next is not a cursor this server issued');
  const rows = await listExceptions(store, { statuses }, limit + 1, after);
  const page = rows.slice(0, limit);
  const counts = await countExcepted(store.db, page.map((r) => r.id));
  return { items: page.map((r) => exceptionView(r, counts.get(r.id) ?? 0)), next: rows.length > limit ? String(page[page.length - 1].id) : null };
}

/**
 * The approved exceptions in force for one cluster, in config form: what `scan`, the webhook, the agent and
 * runtime apply exactly as they apply `exceptions:` from kubeguard.yaml (same matching, reasons, expiry).
 */
export async function effectiveExceptions(store: Store, cluster: string, now: Date): Promise<ExceptionSpec[]> {
  const rows = await activeExceptions(store.db, now.getTime());
  return rows
    .filter((r) => {
      const clusters = JSON.parse(r.clusters) as string[];
      return clusters.length === 0 || clusters.includes(cluster);
    })
    .map((r) => {
      const ids = JSON.parse(r.rule_ids) as string[];
      return {
        rules: ids.length ? ids : ['*'],
        ...(r.namespaces !== null && { namespaces: list(r.namespaces) }),
        ...(r.kinds !== null && { kinds: list(r.kinds) }),
        ...(r.names !== null && { names: list(r.names) }),
        reason: r.reason,
        ...(r.owner !== null && { owner: r.owner }),
        ...(r.ticket !== null && { ticket: r.ticket }),
        ...(r.expires !== null && { expires: r.expires }),
      };
    });
}

export const EXPIRY_WARNING_MS = 7 * 86_400_000;

/**
 * Scheduled: approved exceptions past their expiry end (their findings open again, an event says so); those
 * within a week of it raise one "expiring" event each.
 */
export async function expireExceptions(store: Store, now: Date): Promise<{ expired: number; warned: number }> {
  const t = now.getTime();
  const due = await store.db.selectFrom('exceptions').select('id').where('status', '=', 'approved').where('expires_at', '<', t).execute();
  let expired = 0;
  for (const { id } of due) {
    await store.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('exceptions').set({ status: 'expired' }).where('id', '=', id).where('status', '=', 'approved').executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return; // another replica got there first
      const row = (await getException(trx, Number(id)))!;
      const reopened = await releaseFindings(trx, store.dialect, Number(id), t);
      await recountNow(trx, t, JSON.parse(row.clusters) as string[]);
      await releaseIncidents(trx, Number(id));
      await writeAudit(trx, { actor: 'system', action: 'exception.expire', target: `exception:${id}`, detail: { findings: reopened } }, t);
      await emitEvent(trx, 'exception-expired', null, { id: Number(id), rules: JSON.parse(row.rules) as string[], reason: row.reason, owner: row.owner, ticket: row.ticket, expires: row.expires, findings: reopened }, t);
      expired++;
    });
  }
  const soon = await store.db
    .selectFrom('exceptions')
    .selectAll()
    .where('status', '=', 'approved')
    .where('expiry_warned_at', 'is', null)
    .where('expires_at', '>=', t)
    .where('expires_at', '<', t + EXPIRY_WARNING_MS)
    .execute();
  let warned = 0;
  for (const row of soon as ExceptionRow[]) {
    await store.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('exceptions').set({ expiry_warned_at: t }).where('id', '=', row.id).where('expiry_warned_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return;
      await emitEvent(trx, 'exception-expiring', null, { id: Number(row.id), rules: JSON.parse(row.rules) as string[], reason: row.reason, owner: row.owner, ticket: row.ticket, expires: row.expires }, t);
      warned++;
    });
  }
  return { expired, warned };
}
