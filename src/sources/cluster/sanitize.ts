/**
 * What kubeguard keeps of a live object: everything but `metadata.managedFields` (server-side-apply bookkeeping,
 * often half the object) and, for Secrets, the values. A Secret keeps its name, type and keys; each value is
 * replaced by a keyed HMAC-SHA256 (key random per snapshot or scan, never stored), so two values can be compared
 * within one snapshot without either being recoverable. The kubectl last-applied annotation of a Secret holds its
 * values in clear and is dropped.
 */
import { createHmac } from 'node:crypto';
import type { KubeObject } from '../../core/model.js';

/** Field that replaces a Secret's `data`/`stringData` (not `data`, so no tool mistakes it for the values). */
export const REDACTED_DATA_FIELD = 'kubeguardRedactedData';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function valueBytes(v: unknown, base64: boolean): Buffer {
  if (typeof v !== 'string') return Buffer.from(JSON.stringify(v ?? null));
  return base64 ? Buffer.from(v, 'base64') : Buffer.from(v, 'utf8');
}

export function sanitizeObject(obj: KubeObject, hmacKey: Buffer): KubeObject {
  if (obj.metadata && 'managedFields' in obj.metadata) {
    const { managedFields, ...metadata } = obj.metadata;
    void managedFields;
    obj = { ...obj, metadata };
  }
  if (obj.kind !== 'Secret') return obj;
  const { data, stringData, ...rest } = obj;
  const redacted: Record<string, string> = {};
  const hash = (bytes: Buffer): string => `hmac-sha256:${createHmac('sha256', hmacKey).update(bytes).digest('hex')}`;
  if (data && typeof data === 'object') for (const [k, v] of Object.entries(data)) redacted[k] = hash(valueBytes(v, true));
  // stringData is write-only in the API and never returned; a dump may still carry it
  if (stringData && typeof stringData === 'object') for (const [k, v] of Object.entries(stringData)) redacted[k] = hash(valueBytes(v, false));
  const out: KubeObject = { ...rest };
  const annotations = out.metadata?.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: dropped, ...kept } = annotations;
    void dropped;
    out.metadata = { ...out.metadata, annotations: kept };
  }
  if (data !== undefined || stringData !== undefined) out[REDACTED_DATA_FIELD] = redacted;
  return out;
}
