/** What a notification says: the event as JSON for webhooks, one line of text for Slack-compatible receivers. */
import type { EventRow } from '../../sources/store/events.js';

type Payload = Record<string, unknown>;

export function webhookBody(e: EventRow): Record<string, unknown> {
  return { id: e.id, kind: e.kind, cluster: e.cluster, createdAt: new Date(e.created_at).toISOString(), ...(JSON.parse(e.payload) as Payload) };
}

const list = (items: string[], total: number) => items.join(', ') + (total > items.length ? ` (and ${total - items.length} more)` : '');

export function slackText(e: EventRow): string {
  const p = JSON.parse(e.payload) as Payload;
  switch (e.kind) {
    case 'new-critical': {
      const fs = (p.findings as { rule_id: string; kind: string; namespace: string; name: string }[]) ?? [];
      return `${p.count} new or returning critical finding(s) in ${p.cluster}: ${list(fs.map((f) => `${f.rule_id} on ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`), Number(p.count))}`;
    }
    case 'new-incident': {
      const is = (p.incidents as { detector: string; severity: string; namespace: string; owner: string; pod: string }[]) ?? [];
      return `${p.count} new runtime incident(s) in ${p.cluster}: ${list(is.map((i) => `${i.detector} (${i.severity}) in ${i.namespace}/${i.owner || i.pod}`), Number(p.count))}`;
    }
    case 'cluster-regressed':
      return `${p.cluster} regressed in its ${p.source} scan of ${p.scannedAt}: ${p.new} new, ${p.reopened} reopened, ${p.fixed} fixed`;
    case 'exception-requested':
      return `Exception #${p.id} requested by ${p.requestedBy} for ${(p.rules as string[]).join(', ')}: ${p.reason}`;
    case 'exception-decided':
      return `Exception #${p.id} (${(p.rules as string[]).join(', ')}) ${p.decision} by ${p.by}: ${p.reason}`;
    case 'exception-expiring':
      return `Exception #${p.id} (${(p.rules as string[]).join(', ')}) expires ${p.expires}${p.owner ? `; owner ${p.owner}` : ''}${p.ticket ? `, ticket ${p.ticket}` : ''}`;
    case 'exception-expired':
      return `Exception #${p.id} (${(p.rules as string[]).join(', ')}) expired on ${p.expires}: ${p.findings} finding(s) are open again${p.owner ? `; owner ${p.owner}` : ''}${p.ticket ? `, ticket ${p.ticket}` : ''}`;
    default:
      return `kubeguard event ${e.kind}${e.cluster ? ` in ${e.cluster}` : ''}`;
  }
}
