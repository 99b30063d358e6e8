/**
 * Ingesting an upload into the finding history: read the body (bounded, validated), identify each finding by its
 * fingerprint (rule, object, field), apply it in one transaction. The upload's identity is the digest of its
 * body, so sending the same upload twice changes nothing.
 */
import type { Readable } from 'node:stream';
import { findingFingerprint } from '../../core/fingerprint.js';
import type { ResourceRef } from '../../core/model.js';
import type { IngestOutcome, ObjectKey, StagedRecord } from '../../sources/store/ingest.js';
import { applyScan } from '../../sources/store/ingest.js';
import type { Store } from '../../sources/store/open.js';
import type { InventoryRecord, UploadHeader, UploadRecord } from '../../sources/upload/format.js';
import { INVENTORY_KEYS } from '../../sources/upload/format.js';
import { replaceInventory } from '../../sources/store/inventory.js';
import { insertComplianceScores } from '../../sources/store/compliance.js';
import { inventoryToStore } from './inventory.js';
import type { ReadLimits } from '../../sources/upload/read.js';
import { readUpload, UploadError } from '../../sources/upload/read.js';
import { writeAudit } from '../../sources/store/audit.js';
import { afterMerge } from './after-merge.js';
import { detailJson } from './detail.js';

export interface IngestResult extends IngestOutcome {
  cluster: string;
  source: string;
  scannedAt: string;
}

function objectKey(r: ResourceRef): ObjectKey {
  return { kind: r.kind, namespace: r.namespace ?? '', name: r.name };
}

/** Inventory records an upload may carry (kept in memory until its transaction writes them). */
export const MAX_INVENTORY_RECORDS = 500_000;

async function* staged(records: AsyncIterable<UploadRecord>, inventory: InventoryRecord[]): AsyncGenerator<StagedRecord> {
  for await (const r of records) {
    if (INVENTORY_KEYS.some((k) => k in r)) {
      if (inventory.length >= MAX_INVENTORY_RECORDS) throw new UploadError(`more than ${MAX_INVENTORY_RECORDS} network and attack-path records`);
      inventory.push(r as InventoryRecord);
    } else if ('finding' in r || 'suppressed' in r) {
      const f = 'finding' in r ? r.finding : r.suppressed;
      const o = objectKey(f.resource);
      const message = 'finding' in r ? r.finding.message : `excepted (${r.suppressed.source}): ${r.suppressed.reason}`;
      const detail = 'finding' in r ? detailJson(r.finding) : null;
      yield { finding: { fingerprint: findingFingerprint(f.ruleId, f.resource, f.path), ruleId: f.ruleId, severity: f.severity, apiVersion: f.resource.apiVersion, ...o, path: f.path, message, excepted: 'suppressed' in r ? r.suppressed.source : '', detail } };
    } else if ('resource' in r) yield { object: objectKey(r.resource) };
    else if ('held' in r) yield { held: { ...(r.held.ruleId !== undefined && { ruleId: r.held.ruleId }), ...(r.held.resource && { object: objectKey(r.held.resource) }) } };
  }
}

export interface IngestOptions {
  gzip?: boolean;
  limits?: ReadLimits;
  now: Date;
  /** A token bound to one cluster may upload for that cluster only. */
  allowedCluster?: (cluster: string) => boolean;
  /** Who uploads, from where: for the audit log. */
  actor?: string;
  remote?: string;
}

export class UploadForbidden extends UploadError {}

export async function ingestUpload(store: Store, body: Readable | AsyncIterable<Buffer>, options: IngestOptions): Promise<IngestResult> {
  const upload = await readUpload(body, { gzip: options.gzip, limits: options.limits });
  const h: UploadHeader = upload.header;
  if (options.allowedCluster && !options.allowedCluster(h.cluster)) throw new UploadForbidden(`this token may not upload for cluster ${h.cluster}`);
  const scannedAt = Date.parse(h.scannedAt);
  const inventory: InventoryRecord[] = [];
  const outcome = await applyScan(store, {
    cluster: h.cluster,
    key: upload.digest,
    source: h.source,
    scope: h.scope,
    scannedAt,
    receivedAt: options.now.getTime(),
    records: staged(upload.records, inventory),
    afterMerge: async (db, outcome, context) => {
      await afterMerge(store.dialect, h.cluster, h.source, scannedAt, options.now.getTime())(db, outcome, context);
      // a whole-cluster scan's graphs replace the cluster's previous ones
      if (inventory.length && h.scope === 'cluster') {
        await replaceInventory(db, h.cluster, inventoryToStore(inventory, scannedAt));
        await insertComplianceScores(db, h.cluster, scannedAt, inventory.flatMap((r) => ('complianceScore' in r ? [r.complianceScore] : [])));
      }
    },
  });
  const { duplicate, stale, received, findings, new: added, fixed, reopened } = outcome;
  await writeAudit(store.db, { actor: options.actor ?? 'unknown', action: 'scan.upload', target: `cluster:${h.cluster}`, detail: { source: h.source, scope: h.scope, scannedAt: h.scannedAt, duplicate, stale, received, findings, new: added, fixed, reopened }, remote: options.remote }, options.now.getTime());
  return { cluster: h.cluster, source: h.source, scannedAt: new Date(scannedAt).toISOString(), ...outcome };
}
