/**
 * `admission install` manifests: they pass the engine's pss-restricted preset with zero findings, carry the
 * webhook settings the issue and the Kubernetes docs require, and the generated CA really authenticates the
 * generated serving certificate for the Service name the API server dials (checked with a real TLS handshake).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import yaml from 'js-yaml';
import type { KubeObject } from '../../core/model.js';
import { refOf } from '../../core/ref.js';
import { resolveRules } from '../../engine/resolve-rules.js';
import { scan } from '../../engine/scan.js';
import { parseManifestText } from '../../sources/manifests/parse-text.js';
import { issueCertificates, serviceDnsNames } from '../tls/certificates.js';
import { ruleCatalog } from '../test-support/catalog.js';
import { installManifests, NAME, renderManifests } from './manifests.js';
import type { InstallOptions } from './manifests.js';
import { webhookRules } from './webhook-rules.js';

async function options(over: Partial<InstallOptions> = {}): Promise<InstallOptions> {
  const catalog = await ruleCatalog();
  const certificates = await issueCertificates({ dnsNames: serviceDnsNames(NAME, 'kubeguard'), notBefore: new Date() });
  return { namespace: 'kubeguard', replicas: 2, failurePolicy: 'Fail', image: 'ghcr.io/kubeguard/kubeguard:0.1.0', mutate: false, catalog, certificates, certManager: false, ...over };
}

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
type Webhook = { name: string; sideEffects: string; timeoutSeconds: number; failurePolicy: string; admissionReviewVersions: string[]; clientConfig: { caBundle?: string; service: { name: string; namespace: string; path: string } }; namespaceSelector: { matchExpressions: { key: string; operator: string; values: string[] }[] }; rules: { resources: string[] }[] };

describe('admission install manifests', () => {
  test('the printed YAML, loaded back through the scan loader, has zero findings with the pss-restricted preset', async () => {
    for (const variant of [{}, { certManager: true, certificates: undefined }, { mutate: true, replicas: 1 }] as Partial<InstallOptions>[]) {
      const text = renderManifests(installManifests(await options(variant)));
      const parsed = parseManifestText(text, 'install.yaml');
      assert.deepEqual(parsed.errors ?? [], []);
      const rules = resolveRules(await ruleCatalog(), { preset: 'pss-restricted' });
      assert.ok(rules.length >= 15, `pss-restricted has ${rules.length} rules`);
      const report = scan(parsed.resources, { rules, now: new Date() });
      assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.path}`), [], JSON.stringify(variant));
      assert.deepEqual(report.errors, []);
      assert.deepEqual(report.notEvaluated.filter((n) => n.ruleId), []);
      assert.ok(parsed.resources.some((r) => r.ref.kind === 'Deployment'), 'the Deployment was judged');
    }
  });

  test('no high or critical findings with the recommended preset either', async () => {
    const objects = installManifests(await options());
    const rules = resolveRules(await ruleCatalog(), { preset: 'recommended' });
    const report = scan(objects.map((o) => ({ ref: refOf(o), object: o })), { rules, now: new Date() });
    assert.deepEqual(report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical').map((f) => `${f.ruleId} ${f.resource.kind} ${f.path}`), []);
  });

  test('every object the issue lists, with the required settings', async () => {
    const objects = installManifests(await options({ mutate: true }));
    const kinds = objects.map((o) => o.kind);
    for (const k of ['Namespace', 'ServiceAccount', 'Deployment', 'PodDisruptionBudget', 'Service', 'NetworkPolicy', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'Secret']) assert.ok(kinds.includes(k), k);
    const ns = byKind(objects, 'Namespace')[0];
    assert.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.deepEqual(byKind(objects, 'Role').concat(byKind(objects, 'ClusterRole'), byKind(objects, 'RoleBinding'), byKind(objects, 'ClusterRoleBinding')), [], 'least RBAC: none at all');
    assert.equal(byKind(objects, 'ServiceAccount')[0].automountServiceAccountToken, false);
    const deploy = byKind(objects, 'Deployment')[0] as KubeObject & { spec: { replicas: number; template: { spec: { affinity: unknown; containers: { resources: unknown; readinessProbe: unknown; livenessProbe: unknown }[] } } } };
    assert.equal(deploy.spec.replicas, 2);
    assert.ok(deploy.spec.template.spec.affinity);
    const c = deploy.spec.template.spec.containers[0];
    assert.ok(c.resources && c.readinessProbe && c.livenessProbe);
    const vwc = byKind(objects, 'ValidatingWebhookConfiguration')[0] as KubeObject & { webhooks: Webhook[] };
    const hook = vwc.webhooks[0];
    assert.equal(hook.sideEffects, 'None');
    assert.equal(hook.timeoutSeconds, 5);
    assert.equal(hook.failurePolicy, 'Fail');
    assert.deepEqual(hook.admissionReviewVersions, ['v1', 'v1beta1']);
    assert.deepEqual(hook.clientConfig.service, { name: NAME, namespace: 'kubeguard', path: '/validate', port: 443 });
    assert.deepEqual(hook.namespaceSelector.matchExpressions, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kubeguard'] }]);
    const resources = hook.rules.flatMap((r) => r.resources);
    for (const r of ['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers', 'podtemplates', 'pods/ephemeralcontainers']) assert.ok(resources.includes(r), r);
    const mwc = byKind(objects, 'MutatingWebhookConfiguration')[0] as KubeObject & { webhooks: Webhook[] };
    assert.equal(mwc.webhooks[0].clientConfig.service.path, '/mutate');
  });

  test('--failure-policy Ignore and --cert-manager', async () => {
    const objects = installManifests(await options({ failurePolicy: 'Ignore', certManager: true, certificates: undefined }));
    const vwc = byKind(objects, 'ValidatingWebhookConfiguration')[0] as KubeObject & { webhooks: Webhook[] };
    assert.equal(vwc.webhooks[0].failurePolicy, 'Ignore');
    assert.equal(vwc.webhooks[0].clientConfig.caBundle, undefined);
    assert.equal(vwc.metadata?.annotations?.['cert-manager.io/inject-ca-from'], `kubeguard/${NAME}`);
    const cert = byKind(objects, 'Certificate')[0] as KubeObject & { spec: { secretName: string; dnsNames: string[] } };
    assert.ok(cert.spec.dnsNames.includes(`${NAME}.kubeguard.svc`));
    assert.equal(byKind(objects, 'Secret').length, 0);
  });

  test('the caBundle CA signed the Secret certificate, which is valid for the Service DNS name (real TLS handshake)', async () => {
    const objects = installManifests(await options());
    const vwc = byKind(objects, 'ValidatingWebhookConfiguration')[0] as KubeObject & { webhooks: Webhook[] };
    const caPem = Buffer.from(vwc.webhooks[0].clientConfig.caBundle!, 'base64').toString('utf8');
    const secret = byKind(objects, 'Secret')[0] as KubeObject & { data: Record<string, string>; type: string };
    assert.equal(secret.type, 'kubernetes.io/tls');
    const certPem = Buffer.from(secret.data['tls.crt'], 'base64').toString('utf8');
    const keyPem = Buffer.from(secret.data['tls.key'], 'base64').toString('utf8');
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(certPem);
    assert.ok(ca.ca);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    assert.equal(leaf.checkHost(`${NAME}.kubeguard.svc`), `${NAME}.kubeguard.svc`);
    const server = createServer({ cert: certPem, key: keyPem, minVersion: 'TLSv1.2' }, (_, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: caPem, servername: `${NAME}.kubeguard.svc` }, () => {
          resolve(s.authorized);
          s.end();
        });
        s.on('error', reject);
      });
      assert.equal(authorized, true);
    } finally {
      server.close();
    }
  });

  test('workload kinds by default; every judged kind with allKinds', async () => {
    const hookResources = (objects: KubeObject[]) => (byKind(objects, 'ValidatingWebhookConfiguration')[0] as KubeObject & { webhooks: Webhook[] }).webhooks[0].rules.flatMap((r) => r.resources);
    const narrow = hookResources(installManifests(await options()));
    assert.ok(!narrow.includes('secrets') && !narrow.includes('configmaps'), narrow.join(','));
    const wide = hookResources(installManifests(await options({ allKinds: true })));
    for (const r of ['secrets', 'configmaps', 'clusterrolebindings', 'namespaces', 'pods']) assert.ok(wide.includes(r), r);
    assert.ok(!wide.includes('validatingwebhookconfigurations'), 'the API server never sends webhook configurations to webhooks');
  });

  test('webhook rules cover every kind the catalogue judges that the API serves', async () => {
    const { rules, uncovered } = webhookRules(await ruleCatalog());
    assert.ok(rules.length > 0);
    for (const kind of uncovered) assert.ok(!['Pod', 'Deployment', 'ConfigMap', 'Secret'].includes(kind), kind);
    const yamlText = renderManifests(installManifests(await options()));
    assert.ok(yaml.loadAll(yamlText).length >= 9);
  });
});
