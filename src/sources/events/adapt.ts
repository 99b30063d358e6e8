/**
 * One record (a parsed JSON value) → runtime events, the format detected per record: the kubeguard wire form
 * (`v` + `kind`), a Falco alert, a Tetragon export line, a Kubernetes audit event or EventList (also AKS and GKE
 * exports), a Hubble flow. A record that is none of these, or that its format cannot map, is a skip with a reason.
 */
import { isJsonMap } from '../../core/json.js';
import type { RuntimeEvent } from '../../core/events/model.js';
import { decodeEvent, parseEventTime } from '../../core/events/wire.js';
import { adaptFalco, isFalcoAlert } from './falco.js';
import { adaptTetragon, tetragonKey } from './tetragon.js';
import { adaptAudit, isAksAuditRecord, isAuditEvent, isAuditEventList, isGkeAuditEntry } from './audit.js';
import { adaptHubble, isHubbleFlow } from './hubble.js';

export const EVENT_FORMATS = ['kubeguard', 'falco', 'tetragon', 'k8s-audit', 'hubble'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

export interface Adapted {
  format?: EventFormat;
  events: RuntimeEvent[];
  /** Why parts of the record produced no event. */
  skipped: string[];
}

/** Sets `ts` from `time`; an event whose time is not RFC 3339 is refused. */
function finish(e: RuntimeEvent | string, out: Adapted): void {
  if (typeof e === 'string') {
    out.skipped.push(e);
    return;
  }
  const ts = parseEventTime(e.time);
  if (Number.isNaN(ts)) out.skipped.push(`${out.format ?? 'event'} time is not an RFC 3339 time`);
  else {
    e.ts = ts;
    out.events.push(e);
  }
}

export function adaptRecord(value: unknown): Adapted {
  const out: Adapted = { events: [], skipped: [] };
  if (!isJsonMap(value)) {
    out.skipped.push('not a JSON object');
    return out;
  }
  if (typeof value.v === 'number' && typeof value.kind === 'string') {
    out.format = 'kubeguard';
    const r = decodeEvent(value);
    if (r.ok) out.events.push(r.event);
    else out.skipped.push(`kubeguard event: ${r.error}`);
  } else if (isFalcoAlert(value)) {
    out.format = 'falco';
    finish(adaptFalco(value), out);
  } else if (tetragonKey(value)) {
    out.format = 'tetragon';
    finish(adaptTetragon(value), out);
  } else if (isAuditEvent(value) || isAuditEventList(value) || isAksAuditRecord(value) || isGkeAuditEntry(value)) {
    out.format = 'k8s-audit';
    for (const e of adaptAudit(value)) finish(e, out);
  } else if (isHubbleFlow(value)) {
    out.format = 'hubble';
    finish(adaptHubble(value), out);
  } else out.skipped.push('unknown format');
  return out;
}
