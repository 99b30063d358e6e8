/**
 * A realistic Pod AdmissionReview: the shape the API server sends when a ReplicaSet controller creates a pod
 * of a typical hardened web Deployment (owner reference, generated name, sidecar, init container, env, volumes,
 * probes, resources). It is admitted, with the warnings the recommended preset gives such a pod.
 */
export function realisticPodReview(uid: string): Record<string, unknown> {
  const image = (name: string) => `registry.example.com/shop/${name}@sha256:4d5f1c8e2b3a6f7e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e`;
  const hardened = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
  const resources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'storefront-7d9c6b5f4-',
      name: 'storefront-7d9c6b5f4-x2lqp',
      namespace: 'shop',
      uid: 'a7b0f3f2-1c9e-4e8e-9d4e-2f1b6c9d8e7a',
      labels: { app: 'storefront', 'pod-template-hash': '7d9c6b5f4', 'app.kubernetes.io/version': '2.14.1' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'storefront-7d9c6b5f4', uid: '3f0c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      serviceAccountName: 'storefront',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [
        { name: 'migrate', image: image('migrate'), args: ['--wait-for-db'], resources, securityContext: hardened, env: [{ name: 'DB_HOST', value: 'postgres.shop.svc' }] },
      ],
      containers: [
        {
          name: 'web',
          image: image('storefront'),
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'storefront-db', key: 'password' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          resources,
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
          readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 },
          securityContext: hardened,
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config', mountPath: '/etc/storefront', readOnly: true }],
        },
        {
          name: 'proxy',
          image: image('envoy'),
          ports: [{ name: 'https', containerPort: 8443 }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          livenessProbe: { tcpSocket: { port: 8443 } },
          readinessProbe: { tcpSocket: { port: 8443 } },
          securityContext: hardened,
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, { name: 'config', configMap: { name: 'storefront' } }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
    },
  };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      name: pod.metadata.name,
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', uid: 'f1e2d3c4', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
      object: pod,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}
