/**
 * E-mail digests (kubeguard.yaml `server.notifications` entries of type smtp): after each period ends — a UTC day,
 * or a week from Monday 00:00 UTC — every recipient gets one message about it: new critical findings still open,
 * what was fixed, approved exceptions expiring in the next 7 days, the worst clusters. Each (channel, recipient,
 * period) is claimed before it is sent and marked after (src/sources/store/digests.ts), so it goes out once
 * however many replicas run; a failed send is tried again on later runs and given up after MAX_ATTEMPTS (audited).
 * Only the period that ended last is sent: a server that was down for days does not send a backlog.
 */
import type { NotificationChannel } from '../../engine/config.js';
import { writeAudit } from '../../sources/store/audit.js';
import type { DigestFacts, DigestFinding } from '../../sources/store/digests.js';
import { claimDigest, digestFacts, markDigestSent } from '../../sources/store/digests.js';
import type { Store } from '../../sources/store/open.js';
import type { Mail, MailSender } from '../../sources/notify/mail.js';
import { channelName, MAX_ATTEMPTS } from './dispatch.js';

const DAY = 86_400_000;
const LEASE_MS = 5 * 60_000;
const EXPIRING_WITHIN = 7 * DAY;

export type DigestPeriod = 'daily' | 'weekly';

/** The last period that ended at or before `now`: [start, end). Weeks start on Monday (ISO 8601). */
export function lastPeriod(period: DigestPeriod, now: number): { start: number; end: number } {
  const today = Math.floor(now / DAY) * DAY;
  if (period === 'daily') return { start: today - DAY, end: today };
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const end = today - weekday * DAY;
  return { start: end - 7 * DAY, end };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const objectOf = (f: DigestFinding) => `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface DigestMessage {
  subject: string;
  text: string;
  html: string;
}

/** The digest as text and HTML (the same sections; the HTML only adds lists and tables). */
export function digestMessage(facts: DigestFacts, period: DigestPeriod, start: number, end: number, name: string): DigestMessage {
  const span = period === 'daily' ? day(start) : `${day(start)} – ${day(end - DAY)}`;
  const subject = `kubeguard ${period} digest ${span}: ${facts.newCritical.count} new critical, ${facts.fixed.count} fixed, ${facts.expiring.length} exception(s) expiring`;
  const more = (shown: number, total: number) => (total > shown ? [`… and ${total - shown} more`] : []);
  const sections: { title: string; lines: string[] }[] = [
    { title: `New critical findings (${facts.newCritical.count}, still open)`, lines: [...facts.newCritical.items.map((f) => `${f.cluster}: ${f.ruleId} on ${objectOf(f)}`), ...more(facts.newCritical.items.length, facts.newCritical.count)] },
    {
      title: `Fixed (${facts.fixed.count}${facts.fixed.count ? `: ${['critical', 'high', 'medium', 'low', 'info'].filter((s) => facts.fixed.bySeverity[s]).map((s) => `${facts.fixed.bySeverity[s]} ${s}`).join(', ')}` : ''})`,
      lines: [...facts.fixed.items.map((f) => `${f.cluster}: ${f.ruleId} (${f.severity}) on ${objectOf(f)}`), ...more(facts.fixed.items.length, facts.fixed.count)],
    },
    { title: `Exceptions expiring in the next 7 days (${facts.expiring.length})`, lines: facts.expiring.map((e) => `#${e.id} ${e.rules.join(', ')}${e.clusters.length ? ` in ${e.clusters.join(', ')}` : ''} expires ${day(e.expiresAt)}${e.owner ? `; owner ${e.owner}` : ''}`) },
    { title: 'Worst clusters (open critical / high; new and fixed in the period)', lines: facts.clusters.map((c) => `${c.cluster}: ${c.critical} critical, ${c.high} high open; ${c.newOpen} new, ${c.fixed} fixed`) },
  ];
  const text = [`kubeguard ${period} digest for ${span} (UTC), channel ${name}`, '', ...sections.flatMap((s) => [s.title, ...(s.lines.length ? s.lines.map((l) => `  - ${l}`) : ['  (none)']), ''])].join('\n');
  const html = `<!doctype html><html><body><h1>kubeguard ${period} digest for ${escapeHtml(span)} (UTC)</h1>${sections
    .map((s) => `<h2>${escapeHtml(s.title)}</h2>${s.lines.length ? `<ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '<p>(none)</p>'}`)
    .join('')}</body></html>`;
  return { subject, text, html };
}

export interface DigestResult {
  sent: number;
  failed: number;
}

/** Sends every digest that is due and not sent yet; safe to run on every replica at once. */
export async function sendDigests(store: Store, channels: readonly NotificationChannel[], holder: string, now: Date, send: MailSender, onError?: (channel: string, message: string) => void): Promise<DigestResult> {
  const result: DigestResult = { sent: 0, failed: 0 };
  const t = now.getTime();
  for (const [i, c] of channels.entries()) {
    if (c.type !== 'smtp' || !c.from || !c.to?.length) continue;
    const name = channelName(c, i);
    const period = c.period ?? 'daily';
    const { start, end } = lastPeriod(period, t);
    let message: DigestMessage | undefined;
    for (const recipient of c.to) {
      const key = { channel: name, recipient: recipient.toLowerCase(), periodStart: start };
      const attempts = await claimDigest(store, key, holder, t, t + LEASE_MS);
      if (attempts === undefined) continue;
      message ??= digestMessage(await digestFacts(store, start, end, end + EXPIRING_WITHIN, c.clusters ?? []), period, start, end, name);
      const mail: Mail = { from: c.from, to: recipient, ...message, messageId: `<digest-${period}-${day(start)}-${Buffer.from(`${name}\n${key.recipient}`).toString('hex').slice(0, 48)}@kubeguard>` };
      try {
        await send({ url: c.url, ...(c.caFile && { caFile: c.caFile }) }, mail);
        await markDigestSent(store, key, holder, Date.now());
        result.sent++;
      } catch (e) {
        result.failed++;
        onError?.(name, (e as Error).message);
        if (attempts >= MAX_ATTEMPTS) {
          await markDigestSent(store, key, holder, Date.now());
          await writeAudit(store.db, { actor: 'system', action: 'notification.give-up', target: `digest:${name}`, detail: { period: day(start), attempts } }, t);
        }
      }
    }
  }
  return result;
}
