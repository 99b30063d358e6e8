/**
 * Work the server does on a schedule, each job on one replica at a time (src/sources/store/lock.ts): exception
 * expiry, ended sessions, notifications, retention. Safe to run from every replica as often as wanted.
 */
import { withJobLock } from '../sources/store/lock.js';
import { optimizeStore } from '../sources/store/optimize.js';
import type { Store } from '../sources/store/open.js';
import { expireExceptions } from './exceptions/workflow.js';
import type { NotificationChannel, RetentionSettings } from '../engine/config.js';
import { applyRetention } from './retention.js';
import type { Sender } from './notifications/dispatch.js';
import { dispatchEvents } from './notifications/dispatch.js';
import { sendDigests } from './notifications/digest.js';
import type { MailSender } from '../sources/notify/mail.js';
import { endStaleSessions } from './access/sessions.js';

export interface ScheduledJob {
  name: string;
  run(store: Store, now: Date): Promise<unknown>;
}

export const JOBS: ScheduledJob[] = [
  { name: 'exceptions-expiry', run: expireExceptions },
  { name: 'optimize', run: (store) => optimizeStore(store) },
  { name: 'sessions', run: endStaleSessions },
];

/** Deleting what is past its retention (kubeguard.yaml `server.retention`). */
export function retentionJob(settings: RetentionSettings = {}): ScheduledJob {
  return { name: 'retention', run: (store, now) => applyRetention(store, now, settings) };
}

/** Sending the event outbox to the configured channels (src/usecases/notifications). */
export function notificationJob(channels: readonly NotificationChannel[], holder: string, send: Sender, onError?: (channel: string, message: string) => void): ScheduledJob {
  return { name: 'notifications', run: (store, now) => dispatchEvents(store, channels, holder, () => now, send, onError) };
}

/** Sending the e-mail digests that are due (src/usecases/notifications/digest.ts). */
export function digestJob(channels: readonly NotificationChannel[], holder: string, send: MailSender, onError?: (channel: string, message: string) => void): ScheduledJob {
  return { name: 'digests', run: (store, now) => sendDigests(store, channels, holder, now, send, onError) };
}

/** Runs every job whose lock this replica gets; the names of those it ran. */
export async function runScheduledWork(store: Store, holder: string, now: () => Date, jobs: readonly ScheduledJob[] = JOBS): Promise<string[]> {
  const ran: string[] = [];
  for (const job of jobs) {
    const got = await withJobLock(store, job.name, holder, 5 * 60_000, () => now().getTime(), async () => {
      await job.run(store, now());
    });
    if (got) ran.push(job.name);
  }
  return ran;
}
