/** A synthetic corpus of mixed objects shaped like real manifests (Deployments, Services, RBAC, NetworkPolicies). */
import type { KubeObject } from '../../src/core/model.js';

export function syntheticObjects(n: number): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const ns = `team-${i % 100}`;
    const app = `svc-${i}`;
    switch (i % 10) {
      case 0: case 1: case 2: case 3: case 4: case 5:
        out.push({
          apiVersion: 'apps/v1', kind: 'Deployment',
          metadata: { name: app, namespace: ns, labels: { app, tier: i % 2 ? 'web' : 'worker' } },
          spec: {
            replicas: 2, selector: { matchLabels: { app } },
            template: {
              metadata: { labels: { app, tier: i % 2 ? 'web' : 'worker' } },
              spec: {
                serviceAccountName: i % 3 ? app : undefined,
                securityContext: i % 4 ? { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } : undefined,
                initContainers: i % 7 === 0 ? [{ name: 'migrate', image: `registry.example.com/${app}-migrate:1.${i % 9}`, securityContext: { privileged: i % 14 === 0 } }] : undefined,
                containers: [{
                  name: 'main', image: i % 5 ? `registry.example.com/${app}:1.${i % 9}.0` : 'nginx:latest',
                  ports: [{ containerPort: 8080, name: 'http' }],
                  env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_HOST', value: `db.${ns}.svc` }],
                  resources: i % 3 ? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } : undefined,
                  securityContext: { allowPrivilegeEscalation: i % 6 === 0, readOnlyRootFilesystem: i % 2 === 0, capabilities: { drop: ['ALL'] } },
                  livenessProbe: i % 4 ? { httpGet: { path: '/healthz', port: 'http' } } : undefined,
                }],
              },
            },
          },
        });
        break;
      case 6: case 7:
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns }, spec: { type: i % 20 === 6 ? 'LoadBalancer' : 'ClusterIP', selector: { app }, ports: [{ port: 80, targetPort: 'http' }] } });
        break;
      case 8:
        out.push(i % 20 === 8
          ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${app}-role`, namespace: ns }, rules: [{ apiGroups: [''], resources: ['configmaps', i % 40 === 8 ? 'secrets' : 'pods'], verbs: ['get', 'list', 'watch'] }] }
          : { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${app}-rb`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: i % 30 === 18 ? 'ClusterRole' : 'Role', name: i % 30 === 18 ? 'edit' : `svc-${i - 10}-role` }, subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }] });
        break;
      default:
        out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `${app}-np`, namespace: ns }, spec: { podSelector: { matchLabels: { app: `svc-${i - 3}` } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }] } });
    }
  }
  return JSON.parse(JSON.stringify(out)) as KubeObject[]; // drop undefined fields
}
