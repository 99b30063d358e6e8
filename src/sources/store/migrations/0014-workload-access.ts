/**
 * What the dashboard's workload page shows beside findings: the service account each workload runs as and that
 * account's RBAC power and escalation paths (from a whole-cluster scan, replaced with its inventory), and the
 * runtime baseline uploaded for the cluster (`PUT /api/v1/baselines`, replaced whole by the next one).
 */
import type { SchemaDb } from './types.js';

export async function workloadAccess(db: SchemaDb): Promise<void> {
  const s = db.schema;
  await s
    .createTable('workload_accounts')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('service_account', 'text', (c) => c.notNull())
    .addColumn('account_declared', 'integer', (c) => c.notNull())
    .addColumn('token_mounted', 'integer', (c) => c.notNull())
    .addColumn('token_reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workload_accounts_pk', ['cluster', 'namespace', 'kind', 'name'])
    .execute();
  await s
    .createTable('account_power')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_power_pk', ['cluster', 'namespace', 'name'])
    .execute();
  await s
    .createTable('runtime_baselines')
    .addColumn('cluster', 'text', (c) => c.primaryKey())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull())
    .addColumn('learned', 'text', (c) => c.notNull())
    .addColumn('workloads', 'integer', (c) => c.notNull())
    .execute();
  await s
    .createTable('baseline_workloads')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('workload', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('locked', 'integer', (c) => c.notNull())
    .addColumn('containers', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('baseline_workloads_pk', ['cluster', 'namespace', 'workload'])
    .execute();
}
