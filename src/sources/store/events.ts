/**
 * The event outbox: things worth telling people (a new critical finding, an exception expiring or expired, a
 * cluster that regressed) are written in the same transaction as the change that caused them, then sent by
 * whichever replica claims them first — once, however many replicas run.
 */
import type { Kysely } from 'kysely';
import type { StoreSchema } from './schema.js';

export const EVENT_KINDS = ['new-critical', 'new-incident', 'cluster-regressed', 'exception-requested', 'exception-decided', 'exception-expiring', 'exception-expired'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export async function emitEvent(db: Kysely<StoreSchema>, kind: EventKind, cluster: string | null, payload: unknown, at: number): Promise<void> {
  await db.insertInto('events').values({ kind, cluster, payload: JSON.stringify(payload), created_at: at }).execute();
}

export interface EventRow {
  id: number;
  kind: string;
  cluster: string | null;
  payload: string;
  created_at: number;
  attempts: number;
}

/**
 * Claims up to `limit` unsent events for `holder` until `until` (events whose earlier claim lapsed are claimable
 * again: a replica that died mid-send). The claim is a conditional update, so two replicas never hold one event.
 */
export async function claimEvents(db: Kysely<StoreSchema>, holder: string, now: number, until: number, limit: number): Promise<EventRow[]> {
  const candidates = await db
    .selectFrom('events')
    .select('id')
    .where('sent_at', 'is', null)
    .where((e) => e.or([e('claimed_until', 'is', null), e('claimed_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  const claimed: EventRow[] = [];
  for (const { id } of candidates) {
    const r = await db
      .updateTable('events')
      .set((e) => ({ claimed_by: holder, claimed_until: until, attempts: e('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .where((e) => e.or([e('claimed_until', 'is', null), e('claimed_until', '<', now)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) {
      const row = await db.selectFrom('events').select(['id', 'kind', 'cluster', 'payload', 'created_at', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
      claimed.push({ ...row, id: Number(row.id), attempts: Number(row.attempts) });
    }
  }
  return claimed;
}

export async function markSent(db: Kysely<StoreSchema>, id: number, holder: string, at: number): Promise<void> {
  await db.updateTable('events').set({ sent_at: at, claimed_until: null }).where('id', '=', id).where('claimed_by', '=', holder).execute();
}

/** The channels an event was delivered to already. */
export async function deliveredChannels(db: Kysely<StoreSchema>, eventId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('deliveries').select('channel').where('event_id', '=', eventId).execute();
  return new Set(rows.map((r) => r.channel));
}

/** Records one delivery; false when it was recorded already (another replica sent it). */
export async function recordDelivery(db: Kysely<StoreSchema>, eventId: number, channel: string, at: number): Promise<boolean> {
  const r = await db.insertInto('deliveries').values({ event_id: eventId, channel, sent_at: at }).onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
