/**
 * The admission request an object would produce when applied (offline: a manifest in CI, a live object in
 * an audit). The resource comes from the built-in table (or Kubernetes' own plural guess for CRDs); a
 * namespaced object without a namespace lands in "default", as kubectl apply would put it.
 */
import type { KubeObject } from '../../../core/model.js';
import { resourceFor } from '../../../core/api-resources.js';
import type { AdmissionAttributes, Operation } from './types.js';

export const OFFLINE_USER = { username: 'kubeguard:offline', groups: ['system:authenticated'] };

export function admissionFor(object: KubeObject, operation: Operation = 'CREATE', oldObject: KubeObject | null = null, userInfo: AdmissionAttributes['userInfo'] = OFFLINE_USER): AdmissionAttributes {
  const o = operation === 'DELETE' ? (oldObject ?? object) : object;
  const r = resourceFor(o.apiVersion, o.kind ?? '');
  const namespace = r.namespaced ? (o.metadata?.namespace ?? (r.known ? 'default' : '')) : '';
  return {
    operation,
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'DELETE' ? o : oldObject,
    kind: { group: r.group, version: r.version, kind: o.kind ?? '' },
    resource: { group: r.group, version: r.version, resource: r.resource },
    subResource: '',
    name: o.metadata?.name ?? '',
    namespace,
    userInfo,
  };
}

/** The request of an object admitted by the webhook: its own operation, user and resource where known. */
export function admissionForRequest(object: KubeObject, oldObject: KubeObject | null, info: { operation: string; subResource?: string; resource?: { group: string; version: string; resource: string }; userInfo?: { username?: string; uid?: string; groups?: string[] }; dryRun?: boolean }): AdmissionAttributes {
  const op = (['CREATE', 'UPDATE', 'DELETE', 'CONNECT'].includes(info.operation) ? info.operation : 'CREATE') as Operation;
  const a = admissionFor(object, op, oldObject, { username: info.userInfo?.username ?? '', uid: info.userInfo?.uid, groups: info.userInfo?.groups ?? [] });
  return { ...a, subResource: info.subResource ?? '', ...(info.resource && { resource: { ...info.resource } }), dryRun: info.dryRun ?? false };
}
