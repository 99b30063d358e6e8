/**
 * Sending the outbox: claim unsent events (a replica's claim keeps the others off them), send each to every
 * channel whose rules take it and that has not had it yet, record each delivery, and mark the event sent once
 * every channel has it. A channel that fails is tried again on a later run (the claim lapses); a crash between a
 * send and its record may send that one again, so every delivery carries the event id (`X-Kubeguard-Delivery`)
 * for receivers to de-duplicate. After MAX_ATTEMPTS an event is given up (audited).
 */
import type { NotificationChannel } from '../../engine/config.js';
import { writeAudit } from '../../sources/store/audit.js';
import type { EventRow } from '../../sources/store/events.js';
import { claimEvents, deliveredChannels, markSent, recordDelivery } from '../../sources/store/events.js';
import type { Store } from '../../sources/store/open.js';
import type { Delivery } from '../../sources/notify/send.js';
import { slackText, webhookBody } from './format.js';

export const MAX_ATTEMPTS = 10;
const LEASE_MS = 2 * 60_000;

export type Sender = (d: Delivery) => Promise<void>;

export function channelName(c: NotificationChannel, index: number): string {
  return c.name ?? `${c.type}-${index + 1}`;
}

function wants(c: NotificationChannel, e: EventRow): boolean {
  if (c.type === 'smtp') return false; // a digest of its period (digest.ts), not each event
  if (c.events && !c.events.includes(e.kind)) return false;
  if (c.clusters && e.cluster !== null && !c.clusters.includes(e.cluster)) return false;
  return true;
}

export interface DispatchResult {
  sent: number;
  failed: number;
  events: number;
}

export async function dispatchEvents(store: Store, channels: readonly NotificationChannel[], holder: string, now: () => Date, send: Sender, onError?: (channel: string, message: string) => void): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, failed: 0, events: 0 };
  const t = now().getTime();
  const events = await claimEvents(store.db, holder, t, t + LEASE_MS, 100);
  for (const e of events) {
    result.events++;
    const done = await deliveredChannels(store.db, e.id);
    let complete = true;
    for (const [i, c] of channels.entries()) {
      const name = channelName(c, i);
      if (done.has(name) || !wants(c, e)) continue;
      try {
        await send({ url: c.url, event: e.kind, deliveryId: String(e.id), body: c.type === 'slack' ? { text: slackText(e) } : webhookBody(e) });
        await recordDelivery(store.db, e.id, name, now().getTime());
        result.sent++;
      } catch (err) {
        complete = false;
        result.failed++;
        onError?.(name, (err as Error).message);
      }
    }
    if (complete) await markSent(store.db, e.id, holder, now().getTime());
    else if (e.attempts >= MAX_ATTEMPTS) {
      await markSent(store.db, e.id, holder, now().getTime());
      await writeAudit(store.db, { actor: 'system', action: 'notification.give-up', target: `event:${e.id}`, detail: { kind: e.kind, attempts: e.attempts } }, now().getTime());
    }
  }
  return result;
}
