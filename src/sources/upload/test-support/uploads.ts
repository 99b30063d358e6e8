/** Building upload bodies for tests: findings on pods, and the body as a byte stream. */
import { Readable } from 'node:stream';
import type { Finding, ResourceRef, Severity } from '../../../core/model.js';
import type { Held, SuppressedFinding, UploadScope } from '../format.js';
import { uploadLines } from '../format.js';

export function pod(name: string, namespace = 'default'): ResourceRef {
  return { apiVersion: 'v1', kind: 'Pod', namespace, name };
}

export function finding(ruleId: string, resource: ResourceRef, severity: Severity = 'high', path = '/spec/containers/0/securityContext'): Finding {
  return { ruleId, severity, message: `${ruleId} on ${resource.name}`, resource, path };
}

export interface TestUpload {
  cluster?: string;
  source?: string;
  scope?: UploadScope;
  scannedAt: string;
  resources?: ResourceRef[];
  findings: Finding[];
  held?: Held[];
  suppressed?: SuppressedFinding[];
}

export function uploadText(u: TestUpload): string {
  return [...uploadLines({ cluster: u.cluster ?? 'prod', source: u.source ?? 'kubeguard', scope: u.scope ?? 'cluster', scannedAt: u.scannedAt }, u.resources ?? [], u.findings, u.held ?? [], u.suppressed ?? [])].join('');
}

/** The body in small chunks, so line splitting across chunks is exercised too. */
export function uploadBody(u: TestUpload | string, chunk = 97): Readable {
  const buf = Buffer.from(typeof u === 'string' ? u : uploadText(u));
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts);
}
