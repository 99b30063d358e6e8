/**
 * What every replicated HTTPS part of kubeguard (the admission webhook, the central server) runs behind: a
 * PodDisruptionBudget, a ClusterIP Service on 443 → the pods' `https` port, and a NetworkPolicy that admits the
 * serving port and the egress the part needs (DNS always).
 */
import type { KubeObject } from '../core/model.js';

export interface HttpsServiceSpec {
  metadata: KubeObject['metadata'];
  selector: { matchLabels: Record<string, string> };
  replicas: number;
  /** The pods' serving port (the Service's target, the NetworkPolicy's ingress). */
  port: number;
  /** Egress TCP ports besides DNS, one rule per group. */
  egress: readonly (readonly number[])[];
}

export function httpsServiceObjects(s: HttpsServiceSpec): KubeObject[] {
  const { metadata, selector } = s;
  return [
    // With one replica, minAvailable 1 would block every node drain; allow one voluntary disruption instead.
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec: s.replicas > 1 ? { minAvailable: 1, selector } : { maxUnavailable: 1, selector } },
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ClusterIP', selector: selector.matchLabels, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata,
      spec: {
        podSelector: selector,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: s.port, protocol: 'TCP' }] }],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }, ...s.egress.map((ports) => ({ ports: ports.map((port) => ({ port, protocol: 'TCP' })) }))],
      },
    },
  ];
}
