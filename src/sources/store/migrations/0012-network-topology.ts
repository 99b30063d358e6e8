/**
 * The network model of a cluster's latest whole-cluster scan (namespaces with labels, pod representatives,
 * NetworkPolicies; analysis/network/topology.ts), so the server can say what a proposed policy would change.
 * Null for an inventory uploaded before it.
 */
import type { SchemaDb } from './types.js';

export async function networkTopology(db: SchemaDb): Promise<void> {
  await db.schema.alterTable('inventory_scans').addColumn('topology', 'text').execute();
}
