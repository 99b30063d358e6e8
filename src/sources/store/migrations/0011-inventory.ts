/**
 * What a whole-cluster scan uploads for the dashboard's graphs, the latest per cluster (an upload that carries it
 * replaces the cluster's previous one): NetworkPolicy reachability as workload classes and class-to-class edges,
 * exposure to outside traffic, and the attack paths with their nodes and cut (JSON, as `kubeguard paths -o json`).
 */
import type { SchemaDb } from './types.js';

export async function inventory(db: SchemaDb): Promise<void> {
  const s = db.schema;
  await s
    .createTable('inventory_scans')
    .addColumn('cluster', 'text', (c) => c.primaryKey())
    .addColumn('scanned_at', 'bigint', (c) => c.notNull())
    .addColumn('paths', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('net_members')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('class_id', 'integer', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host_network', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('net_members_pk', ['cluster', 'namespace', 'kind', 'name'])
    .execute();
  await s.createIndex('net_members_class').on('net_members').columns(['cluster', 'class_id']).execute();
  await s
    .createTable('net_edges')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('src', 'integer', (c) => c.notNull())
    .addColumn('dst', 'integer', (c) => c.notNull())
    .addColumn('conn', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('net_edges_pk', ['cluster', 'src', 'dst'])
    .execute();
  await s.createIndex('net_edges_dst').on('net_edges').columns(['cluster', 'dst']).execute();
  await s
    .createTable('net_exposures')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('connections', 'text', (c) => c.notNull())
    .addColumn('admitted', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('net_exposures_ns').on('net_exposures').columns(['cluster', 'namespace']).execute();
}
