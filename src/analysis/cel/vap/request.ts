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
