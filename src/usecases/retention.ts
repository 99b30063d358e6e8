/** The retention job: cut-offs from the config's `server.retention` (days) or the defaults; what went is audited. */
import type { RetentionSettings } from '../engine/config.js';
import { writeAudit } from '../sources/store/audit.js';
import type { Store } from '../sources/store/open.js';
import { deleteExpired } from '../sources/store/retention.js';

export const RETENTION_DEFAULTS: Required<RetentionSettings> = { fixedFindingsDays: 365, uploadsDays: 90, eventsDays: 30, auditDays: 400, incidentsDays: 365, trendDays: 731 };

const DAY = 86_400_000;

export async function applyRetention(store: Store, now: Date, settings: RetentionSettings = {}): Promise<Record<string, number>> {
  const s = { ...RETENTION_DEFAULTS, ...settings };
  const t = now.getTime();
  const deleted = await deleteExpired(store, {
    fixedFindings: t - s.fixedFindingsDays * DAY,
    uploads: t - s.uploadsDays * DAY,
    events: t - s.eventsDays * DAY,
    audit: t - s.auditDays * DAY,
    incidents: t - s.incidentsDays * DAY,
    trendDay: new Date(t - s.trendDays * DAY).toISOString().slice(0, 10),
  });
  if (Object.values(deleted).some((n) => n > 0)) await writeAudit(store.db, { actor: 'system', action: 'retention.delete', detail: deleted }, t);
  return deleted;
}
