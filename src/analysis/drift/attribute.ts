/**
 * Who changed a field: the field managers that own it (managedFields), and from an audit log the request that
 * wrote it — matched to a manager by the request's fieldManager (or its user agent's product, which is the
 * API server's default manager name), else the latest request of the given verbs on the object.
 */
import type { ResourceRef } from '../../core/model.js';
import { apiGroupOf } from '../../core/ref.js';
import type { FieldManager } from './managed-fields.js';
import type { AuditChange, ChangedBy } from './model.js';

/** The resource name of a kind, as the audit log's objectRef has it (Deployment → deployments, NetworkPolicy → networkpolicies). */
export function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return k === 'endpoints' ? k : `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

export function attribute(ref: ResourceRef, owners: readonly FieldManager[], audit: readonly AuditChange[], verbs: readonly string[]): ChangedBy[] {
  const resource = resourceOfKind(ref.kind);
  const group = apiGroupOf(ref.apiVersion);
  const events = audit
    .filter((e) => e.resource === resource && e.apiGroup === group && e.name === ref.name && (e.namespace ?? '') === (ref.namespace ?? '') && verbs.includes(e.verb))
    .sort((a, b) => b.time.localeCompare(a.time));
  const fromAudit = (e: AuditChange): ChangedBy => ({ user: e.user, ...(e.groups?.length ? { groups: e.groups } : {}), verb: e.verb, requestTime: e.time });
  if (owners.length === 0) return events.length ? [{ ...(events[0].manager ? { manager: events[0].manager } : {}), ...fromAudit(events[0]) }] : [];
  return owners.map((o) => {
    const e = events.find((x) => x.manager === o.manager);
    return {
      manager: o.manager,
      ...(o.operation ? { operation: o.operation } : {}),
      ...(o.subresource ? { subresource: o.subresource } : {}),
      ...(o.time ? { time: o.time } : {}),
      ...(e ? fromAudit(e) : {}),
    };
  });
}
