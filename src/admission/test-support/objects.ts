/** Test support: pods and workloads, hardened or not, built fresh for each use. */
import type { KubeObject } from '../../core/model.js';

export const DIGEST_IMAGE = 'registry.example.com/shop/web@sha256:4d5f1c8e2b3a6f7e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e';

export function hardenedPodSpec(image = DIGEST_IMAGE): Record<string, unknown> {
  return {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'web',
        image,
        ports: [{ containerPort: 8080 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    ],
  };
}

export function pod(spec: Record<string, unknown>, name = 'web', namespace = 'shop', labels: Record<string, string> = { app: 'web' }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec };
}

export function hardenedPod(name = 'web', namespace = 'shop'): KubeObject {
  return pod(hardenedPodSpec(), name, namespace);
}

export function privilegedPodSpec(): Record<string, unknown> {
  const spec = hardenedPodSpec();
  const c = (spec.containers as Record<string, unknown>[])[0];
  c.securityContext = { ...(c.securityContext as object), privileged: true, allowPrivilegeEscalation: true };
  return spec;
}

export function privilegedPod(name = 'root', namespace = 'shop'): KubeObject {
  return pod(privilegedPodSpec(), name, namespace);
}

/** Every workload kind wrapping a pod spec, with the pointer of its pod spec (as the Kubernetes API shapes them). */
export function workloads(spec: Record<string, unknown>, namespace = 'shop'): { object: KubeObject; specPath: string }[] {
  const labels = { app: 'web' };
  const template = { metadata: { labels }, spec };
  const selector = { matchLabels: labels };
  const meta = (name: string) => ({ name, namespace, labels });
  return [
    { object: { apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec }, specPath: '/spec' },
    { object: { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta('pt'), template }, specPath: '/template/spec' },
    { object: { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec: { replicas: 1, selector: labels, template } }, specPath: '/spec/template/spec' },
    { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('d'), spec: { replicas: 2, selector, template } }, specPath: '/spec/template/spec' },
    { object: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('s'), spec: { serviceName: 's', selector, template } }, specPath: '/spec/template/spec' },
    { object: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('ds'), spec: { selector, template } }, specPath: '/spec/template/spec' },
    { object: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('rs'), spec: { selector, template } }, specPath: '/spec/template/spec' },
    { object: { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('j'), spec: { template: { ...template, spec: { ...spec, restartPolicy: 'Never' } } } }, specPath: '/spec/template/spec' },
    {
      object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('cj'), spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...spec, restartPolicy: 'OnFailure' } } } } } },
      specPath: '/spec/jobTemplate/spec/template/spec',
    },
  ];
}
