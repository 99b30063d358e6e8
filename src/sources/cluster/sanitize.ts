/**
 * What kubeguard keeps of a live object: everything but `metadata.managedFields` (server-side-apply bookkeeping,
 * often half the object) and, for Secrets, the values. A Secret keeps its name, type and keys; each value is
 * replaced by a keyed HMAC-SHA256 (key random per snapshot or scan, never stored), so two values can be compared
 * within one snapshot without either being recoverable. Annotations go through the same redaction as data: a
 * Secret's annotation values are hashed too (`x/url: https://user:pass@host`), except the few Kubernetes writes
 * that rules read (its service account); the kubectl last-applied annotation, a copy of the object as applied, is
 * sanitized as an object itself wherever it appears — a Secret's is dropped, and any Secret it embeds (a List
 * applied as one object) is redacted — and dropped when it is not JSON.
 */
import { createHmac } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../../core/model.js';

/** Field that replaces a Secret's `data`/`stringData` (not `data`, so no tool mistakes it for the values). */
export const REDACTED_DATA_FIELD = 'kubeguardRedactedData';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Secret annotations kept as they are: identifiers Kubernetes and Helm write, read by rules, never values. */
const SECRET_ANNOTATIONS_KEPT = new Set([
  'kubernetes.io/service-account.name',
  'kubernetes.io/service-account.uid',
  'kubeguard.io/ignore',
  'meta.helm.sh/release-name',
  'meta.helm.sh/release-namespace',
]);

function valueBytes(v: unknown, base64: boolean): Buffer {
  if (typeof v !== 'string') return Buffer.from(JSON.stringify(v ?? null));
  return base64 ? Buffer.from(v, 'base64') : Buffer.from(v, 'utf8');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface SanitizeOptions {
  /** Keep `metadata.managedFields` (drift attributes changes to their field managers); Secret values are hashed all the same. */
  keepManagedFields?: boolean;
}

export function sanitizeObject(obj: KubeObject, hmacKey: Buffer, options: SanitizeOptions = {}): KubeObject {
  const hash = (bytes: Buffer): string => `hmac-sha256:${createHmac('sha256', hmacKey).update(bytes).digest('hex')}`;
  return sanitize(obj, hash, 0, options.keepManagedFields === true);
}

function sanitize(obj: KubeObject, hash: (b: Buffer) => string, depth: number, keepManagedFields = false): KubeObject {
  if (!keepManagedFields && obj.metadata && 'managedFields' in obj.metadata) {
    const { managedFields, ...metadata } = obj.metadata;
    void managedFields;
    obj = { ...obj, metadata };
  }
  const annotations = obj.metadata?.annotations;
  if (isObject(annotations)) obj = { ...obj, metadata: { ...obj.metadata, annotations: sanitizeAnnotations(annotations, obj.kind === 'Secret', hash, depth) } };
  // a List applied as one object (its items may be Secrets): each item as an object of its own
  if (Array.isArray(obj.items) && depth < 8) obj = { ...obj, items: obj.items.map((item: unknown) => (isObject(item) ? sanitize(item as KubeObject, hash, depth + 1, keepManagedFields) : item)) };
  if (obj.kind !== 'Secret') return obj;
  const { data, stringData, ...rest } = obj;
  const redacted: Record<string, string> = {};
  if (isObject(data)) for (const [k, v] of Object.entries(data)) redacted[k] = hash(valueBytes(v, true));
  // stringData is write-only in the API and never returned; a dump may still carry it
  if (isObject(stringData)) for (const [k, v] of Object.entries(stringData)) redacted[k] = hash(valueBytes(v, false));
  const out: KubeObject = { ...rest };
  if (data !== undefined || stringData !== undefined) out[REDACTED_DATA_FIELD] = redacted;
  return out;
}

function sanitizeAnnotations(annotations: Record<string, unknown>, secret: boolean, hash: (b: Buffer) => string, depth: number): ObjectMeta['annotations'] {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations)) {
    if (k === LAST_APPLIED) {
      if (secret) continue;
      const applied = sanitizeApplied(v, hash, depth);
      if (applied !== undefined) out[k] = applied;
    } else if (secret && !SECRET_ANNOTATIONS_KEPT.has(k)) out[k] = hash(valueBytes(v, false));
    else out[k] = v as string;
  }
  return out;
}

/** The last-applied copy, sanitized as the object it is; undefined (dropped) when it is no JSON object or a Secret. */
function sanitizeApplied(value: unknown, hash: (b: Buffer) => string, depth: number): string | undefined {
  if (typeof value !== 'string' || depth >= 8) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || parsed.kind === 'Secret') return undefined;
  return JSON.stringify(sanitize(parsed as KubeObject, hash, depth + 1));
}
