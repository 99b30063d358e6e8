/**
 * The exceptions workflow (requests, decisions, expiry), the event outbox that notifications are sent from, and
 * the audit log of every action.
 */
import type { StoreDialect } from '../dialect.js';
import { withSerialId } from './columns.js';
import type { SchemaDb } from './types.js';

export async function exceptionsEventsAudit(db: SchemaDb, dialect: StoreDialect): Promise<void> {
  const s = db.schema;
  await withSerialId(s.createTable('exceptions'), dialect)
    .addColumn('status', 'text', (c) => c.notNull())
    /** As requested (ids or aliases, `*`), and resolved to rule ids for matching (JSON arrays). */
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('rule_ids', 'text', (c) => c.notNull())
    .addColumn('clusters', 'text', (c) => c.notNull())
    .addColumn('namespaces', 'text')
    .addColumn('kinds', 'text')
    .addColumn('names', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('ticket', 'text')
    .addColumn('expires', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_note', 'text')
    .addColumn('expiry_warned_at', 'bigint')
    .execute();
  await s.createIndex('exceptions_status').on('exceptions').columns(['status', 'expires_at']).execute();
  await s.createIndex('findings_exception').on('findings').columns(['exception_id']).execute();

  await withSerialId(s.createTable('events'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cluster', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    /** A replica claims an event for a while before sending it; sent_at marks it done (sent once). */
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s.createIndex('events_pending').on('events').columns(['sent_at', 'id']).execute();

  await withSerialId(s.createTable('audit_log'), dialect)
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail', 'text')
    .addColumn('remote', 'text')
    .execute();
  await s.createIndex('audit_at').on('audit_log').columns(['at']).execute();

  await s
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
}
