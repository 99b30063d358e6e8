/** Runtime baselines in the store (migration 0014): one per cluster, replaced whole in one transaction. */
import type { Baseline } from '../../analysis/runtime/baseline.js';
import type { Store } from './open.js';

const BATCH = 500;

export async function replaceBaseline(store: Store, cluster: string, b: Baseline, uploadedAt: number): Promise<void> {
  // one home per workload: a file naming it twice keeps the last entry
  const workloads = new Map(b.workloads.map((w) => [`${w.namespace}/${w.workload}`, w]));
  const rows = [...workloads.values()].map((w) => ({ cluster, namespace: w.namespace, workload: w.workload, kind: w.kind ?? null, locked: (w.locked ?? b.locked) ? 1 : 0, containers: JSON.stringify(w.containers) }));
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('baseline_workloads').where('cluster', '=', cluster).execute();
    await trx.deleteFrom('runtime_baselines').where('cluster', '=', cluster).execute();
    await trx.insertInto('runtime_baselines').values({ cluster, uploaded_at: uploadedAt, locked: b.locked ? 1 : 0, learned: JSON.stringify({ ...b.learned, ...(b.lockedAt && { lockedAt: b.lockedAt }) }), workloads: rows.length }).execute();
    for (let i = 0; i < rows.length; i += BATCH) await trx.insertInto('baseline_workloads').values(rows.slice(i, i + BATCH)).execute();
  });
}

export async function baselineOf(store: Store, cluster: string) {
  return store.db.selectFrom('runtime_baselines').selectAll().where('cluster', '=', cluster).executeTakeFirst();
}

export async function baselineWorkload(store: Store, cluster: string, namespace: string, workload: string) {
  return store.db.selectFrom('baseline_workloads').selectAll().where('cluster', '=', cluster).where('namespace', '=', namespace).where('workload', '=', workload).executeTakeFirst();
}

export async function baselineWorkloadsIn(store: Store, cluster: string, namespace: string) {
  return store.db.selectFrom('baseline_workloads').selectAll().where('cluster', '=', cluster).where('namespace', '=', namespace).execute();
}
