/**
 * Ingest at a million findings. Recounting a cluster's open findings after its upload (store/ingest.ts
 * recountDay: by rule and severity) read every open finding of every cluster through (status, rule_id, severity),
 * 9–12 s per upload once the store held ~800,000 findings in SQLite: the same index with the cluster second answers
 * one cluster's count from its own entries, and an aggregate over all clusters still reads only the index. And
 * (cluster, kind, namespace, name) repeated what (cluster, namespace, kind, name, fingerprint) holds for every
 * query of an object: each index costs every new finding one more B-tree insert. ((first_seen) stays beside
 * (first_seen, cluster, fingerprint): counting new findings per day reads it at a third of the bytes.)
 */
import type { SchemaDb } from './types.js';

export async function ingestIndexes(db: SchemaDb): Promise<void> {
  const s = db.schema;
  await s.createIndex('findings_status_cluster_rules').on('findings').columns(['status', 'cluster', 'rule_id', 'severity']).execute();
  for (const name of ['findings_status_rules', 'findings_object']) await s.dropIndex(name).execute();
}
