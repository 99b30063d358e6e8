/** Deterministic synthetic cluster for the netpol benchmark: namespaces, pods (as Pod objects) and policies. */
import type { KubeObject } from '../../src/core/model.js';
import { rng } from '../support/rng.js';

export interface BenchShape {
  namespaces: number;
  podsPerNamespace: number;
  policiesPerNamespace: number;
  seed?: number;
  /** Give every pod a unique label (no two pods alike: the worst case for equivalence classes). */
  unique?: boolean;
}


const APPS = ['web', 'api', 'worker', 'cache', 'db'];
const TEAMS = 20;

export function generateCluster(shape: BenchShape): KubeObject[] {
  const rand = rng(shape.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: KubeObject[] = [];
  for (let n = 0; n < shape.namespaces; n++) {
    const ns = `ns-${n}`;
    const team = `team-${n % TEAMS}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team, env: pick(['prod', 'staging', 'dev']) } } });
    for (let i = 0; i < shape.podsPerNamespace; i++) {
      const app = APPS[i % APPS.length];
      // the "db" app is a StatefulSet: every replica carries its own pod-name label (a class of its own)
      const labels: Record<string, string> = { app, tier: app === 'web' ? 'frontend' : 'backend', team };
      if (app === 'db' || shape.unique) labels['statefulset.kubernetes.io/pod-name'] = `${app}-${i}`;
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-${i}`, namespace: ns, labels },
        spec: {
          containers: [
            {
              name: app,
              image: `registry.example/${app}:1`,
              ports: [
                { containerPort: app === 'db' ? 5432 : 8080, name: 'http' },
                { containerPort: 9090, name: 'metrics' },
              ],
            },
          ],
        },
      });
    }
    const peerNs = `team-${Math.floor(rand() * TEAMS)}`;
    const policies: KubeObject[] = [
      { metadata: { name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
      {
        metadata: { name: 'web-from-internet' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 'http' }] }],
        },
      },
      {
        metadata: { name: 'api-from-web' },
        spec: {
          podSelector: { matchLabels: { app: 'api' } },
          ingress: [
            { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] },
            { from: [{ namespaceSelector: { matchLabels: { team: peerNs } }, podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 8000, endPort: 8100 }] },
          ],
        },
      },
      {
        metadata: { name: 'egress-internal' },
        spec: {
          podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api', 'worker'] }] },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] } }] },
            { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] },
          ],
        },
      },
      {
        metadata: { name: 'metrics-from-monitoring' },
        spec: {
          podSelector: {},
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'team-0' } } }], ports: [{ port: 'metrics' }] }],
        },
      },
      {
        metadata: { name: 'allow-same-namespace' },
        spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] },
      },
      {
        metadata: { name: 'worker-egress-to-team-apis' },
        spec: {
          podSelector: { matchLabels: { app: 'worker' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: { matchLabels: { team } }, podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }] }],
        },
      },
      {
        metadata: { name: 'api-from-team' },
        spec: {
          podSelector: { matchLabels: { app: 'api' } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 8080 }, { port: 9090, protocol: 'TCP' }] }],
        },
      },
    ];
    // Each namespace gets its own mix: a random subset of the templates (default-deny in about half of them).
    const chosen = policies.map((p) => ({ p, r: rand() })).sort((a, b) => a.r - b.r).map((x) => x.p);
    for (const p of chosen.slice(0, shape.policiesPerNamespace)) {
      out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...p, metadata: { ...(p.metadata as object), namespace: ns } });
    }
  }
  return out;
}
