/** Builders for the hand-built attack-path scenes (tests and bench). */
import type { KubeObject } from '../../../core/model.js';

const RBAC = 'rbac.authorization.k8s.io';

export function ns(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface DeploymentOptions {
  sa?: string;
  image?: string;
  ports?: { containerPort: number; hostPort?: number }[];
  securityContext?: Record<string, unknown>;
  podSpec?: Record<string, unknown>;
  labels?: Record<string, string>;
  volumeMounts?: Record<string, unknown>[];
}

export function deployment(namespace: string, name: string, o: DeploymentOptions = {}): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(o.sa ? { serviceAccountName: o.sa } : {}),
          containers: [{ name: 'app', image: o.image ?? `${namespace}/${name}:1.0`, ...(o.ports ? { ports: o.ports } : {}), ...(o.securityContext ? { securityContext: o.securityContext } : {}), ...(o.volumeMounts ? { volumeMounts: o.volumeMounts } : {}) }],
          ...o.podSpec,
        },
      },
    },
  };
}

export function service(namespace: string, name: string, type: string, port: number, selector: Record<string, string> = { app: name }): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type, selector, ports: [{ port: 80, targetPort: port }] } };
}

export function clusterRole(name: string, rules: unknown[]): KubeObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules };
}

export function role(namespace: string, name: string, rules: unknown[]): KubeObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

export function crb(name: string, roleName: string, subjects: unknown[]): KubeObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, subjects };
}

export function rb(namespace: string, name: string, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: unknown[]): KubeObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName }, subjects };
}

export const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });
export const user = (name: string) => ({ kind: 'User', name, apiGroup: RBAC });

export function denyIngress(namespace: string, name: string, podSelector: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, policyTypes: ['Ingress'], ingress: [] } };
}

export const CRITICAL_FIXED = [{ id: 'CVE-2024-0001', severity: 'critical' as const, package: 'openssl', version: '3.0.1', fixedVersion: '3.0.8' }];

/**
 * A small cluster for the graphs (server tests, dashboard e2e): shop/web behind a LoadBalancer, its service account
 * bound to cluster-admin; shop/api admits web only; shop/db admits api on TCP 5432 only; other/client is free.
 * With CRITICAL_FIXED on image shop/web:1.0 the internet reaches cluster-admin through web.
 */
export function shopScene(): KubeObject[] {
  const allow = (policy: string, app: string, from: string, port?: number): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policy, namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: from } } }], ...(port && { ports: [{ protocol: 'TCP', port }] }) }] },
  });
  return [
    ns('shop'),
    ns('other'),
    deployment('shop', 'web', { sa: 'web', ports: [{ containerPort: 8080 }] }),
    service('shop', 'web', 'LoadBalancer', 8080),
    crb('web-admin', 'cluster-admin', [sa('shop', 'web')]),
    deployment('shop', 'api', { ports: [{ containerPort: 9000 }] }),
    deployment('shop', 'db', { ports: [{ containerPort: 5432 }] }),
    deployment('other', 'client'),
    allow('api-from-web', 'api', 'web'),
    allow('db-from-api', 'db', 'api', 5432),
  ];
}
