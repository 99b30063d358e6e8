/**
 * The latest inventory of each cluster (migration 0011): workload classes and the NetworkPolicy edges between them,
 * exposure to outside traffic, attack paths (JSON). Replaced whole by an upload that carries one.
 */
import type { Kysely } from 'kysely';
import type { Store } from './open.js';
import type { StoreSchema } from './schema.js';
import type { AccountPower, WorkloadAccount } from '../upload/format.js';

export interface InventoryToStore {
  scannedAt: number;
  members: { classId: number; namespace: string; kind: string; name: string; hostNetwork: boolean }[];
  edges: { src: number; dst: number; conn: string }[];
  exposures: { namespace: string; name: string; kind: string; via: string; connections: string; admitted: string }[];
  /** {paths, nodes, cut} as JSON. */
  paths: string;
  /** The network model (analysis/network/topology.ts NetTopology) as JSON; null from uploads before it. */
  topology: string | null;
  accounts: WorkloadAccount[];
  power: AccountPower[];
}

const BATCH = 500;

async function insertAll<T extends 'net_members' | 'net_edges' | 'net_exposures' | 'workload_accounts' | 'account_power'>(db: Kysely<StoreSchema>, table: T, rows: StoreSchema[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await db.insertInto(table).values(rows.slice(i, i + BATCH) as never).execute();
}

export async function replaceInventory(db: Kysely<StoreSchema>, cluster: string, inv: InventoryToStore): Promise<void> {
  for (const t of ['net_members', 'net_edges', 'net_exposures', 'inventory_scans', 'workload_accounts', 'account_power'] as const) await db.deleteFrom(t).where('cluster', '=', cluster).execute();
  await db.insertInto('inventory_scans').values({ cluster, scanned_at: inv.scannedAt, paths: inv.paths, topology: inv.topology }).execute();
  await insertAll(db, 'net_members', inv.members.map((m) => ({ cluster, class_id: m.classId, namespace: m.namespace, kind: m.kind, name: m.name, host_network: m.hostNetwork ? 1 : 0 })));
  await insertAll(db, 'net_edges', inv.edges.map((e) => ({ cluster, ...e })));
  await insertAll(db, 'net_exposures', inv.exposures.map((x) => ({ cluster, ...x })));
  // one row per workload and per account: the last word stands
  const accounts = new Map(inv.accounts.map((a) => [`${a.namespace}/${a.kind}/${a.name}`, a]));
  await insertAll(db, 'workload_accounts', [...accounts.values()].map((a) => ({ cluster, namespace: a.namespace, kind: a.kind, name: a.name, service_account: a.serviceAccount, account_declared: a.serviceAccountDeclared ? 1 : 0, token_mounted: a.tokenMounted ? 1 : 0, token_reason: a.tokenReason })));
  const power = new Map(inv.power.map((p) => [`${p.namespace}/${p.name}`, p]));
  await insertAll(db, 'account_power', [...power.values()].map((p) => ({ cluster, namespace: p.namespace, name: p.name, body: JSON.stringify(p) })));
}

/** The service account a workload runs as (latest whole-cluster scan), and that account's power when it has any. */
export async function workloadAccount(store: Store, cluster: string, namespace: string, kind: string, name: string) {
  const account = await store.db.selectFrom('workload_accounts').selectAll().where('cluster', '=', cluster).where('namespace', '=', namespace).where('kind', '=', kind).where('name', '=', name).executeTakeFirst();
  if (!account) return undefined;
  const power = await store.db.selectFrom('account_power').select('body').where('cluster', '=', cluster).where('namespace', '=', namespace).where('name', '=', account.service_account).executeTakeFirst();
  return { account, power: power ? (JSON.parse(power.body) as AccountPower) : undefined };
}

export async function inventoryScan(store: Store, cluster: string) {
  return store.db.selectFrom('inventory_scans').select(['cluster', 'scanned_at', 'paths']).where('cluster', '=', cluster).executeTakeFirst();
}

/** The cluster's network model as its latest whole-cluster scan uploaded it (null: an upload before it). */
export async function inventoryTopology(store: Store, cluster: string) {
  return store.db.selectFrom('inventory_scans').select(['cluster', 'scanned_at', 'topology']).where('cluster', '=', cluster).executeTakeFirst();
}

export async function inventoryClusters(store: Store): Promise<{ cluster: string; scanned_at: number }[]> {
  return store.db.selectFrom('inventory_scans').select(['cluster', 'scanned_at']).orderBy('cluster').execute();
}

export async function memberNamespaces(store: Store, cluster: string): Promise<{ namespace: string; workloads: number }[]> {
  const rows = await store.db.selectFrom('net_members').select(['namespace', (e) => e.fn.countAll<number>().as('n')]).where('cluster', '=', cluster).groupBy('namespace').orderBy('namespace').execute();
  return rows.map((r) => ({ namespace: r.namespace, workloads: Number(r.n) }));
}

export async function membersIn(store: Store, cluster: string, namespace: string) {
  return store.db.selectFrom('net_members').selectAll().where('cluster', '=', cluster).where('namespace', '=', namespace).orderBy('kind').orderBy('name').execute();
}

/** The edges from or to some classes. */
export async function edgesTouching(store: Store, cluster: string, classes: number[]) {
  if (!classes.length) return [];
  return store.db
    .selectFrom('net_edges')
    .selectAll()
    .where('cluster', '=', cluster)
    .where((e) => e.or([e('src', 'in', classes), e('dst', 'in', classes)]))
    .execute();
}

/** How many workloads of each namespace some classes hold. */
export async function classNamespaces(store: Store, cluster: string, classes: number[]): Promise<{ class_id: number; namespace: string; n: number }[]> {
  if (!classes.length) return [];
  const rows = await store.db.selectFrom('net_members').select(['class_id', 'namespace', (e) => e.fn.countAll<number>().as('n')]).where('cluster', '=', cluster).where('class_id', 'in', classes).groupBy(['class_id', 'namespace']).execute();
  return rows.map((r) => ({ class_id: Number(r.class_id), namespace: r.namespace, n: Number(r.n) }));
}

export async function exposuresIn(store: Store, cluster: string, namespace: string) {
  return store.db.selectFrom('net_exposures').selectAll().where('cluster', '=', cluster).where('namespace', '=', namespace).execute();
}
