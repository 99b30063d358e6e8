/**
 * `sensor install`: the DaemonSet has what the issue asks (host PID and network, read-only host mounts, NET_ADMIN,
 * not privileged, limits, a service account that may only read pods), the printed YAML scans clean with our
 * strictest preset, and every waiver in its annotations is needed (the rule fires without it) and names a rule
 * that exists.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/model.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { scan } from '../engine/scan.js';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { ruleCatalog } from '../admission/test-support/catalog.js';
import { NAMESPACE_WAIVERS, SENSOR_WAIVERS, renderSensorManifests, sensorManifests } from './install.js';

const IMAGE = `ghcr.io/kubeguard/kubeguard@sha256:${'a'.repeat(64)}`;
const objects = () => sensorManifests({ namespace: 'kubeguard-sensor', image: IMAGE, output: 'https://kubeguard-runtime.kubeguard.svc:8443/events', createNamespace: true, clusterName: 'prod' });

type Pod = { hostPID: boolean; hostNetwork: boolean; serviceAccountName: string; containers: { args: string[]; env: { name: string; valueFrom?: unknown }[]; resources: { limits: Record<string, string>; requests: Record<string, string> }; securityContext: Record<string, unknown> & { capabilities: { drop: string[]; add: string[] } }; volumeMounts: { readOnly: boolean; mountPath: string }[] }[]; volumes: { hostPath?: { path: string } }[] };

describe('sensor install', () => {
  it('a DaemonSet with the least the sensor needs', () => {
    const ds = objects().find((o) => o.kind === 'DaemonSet') as KubeObject & { spec: { template: { spec: Pod } } };
    const pod = ds.spec.template.spec;
    assert.equal(pod.hostPID, true);
    assert.equal(pod.hostNetwork, true);
    const c = pod.containers[0];
    assert.equal(c.securityContext.privileged, false);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'], add: ['NET_ADMIN', 'SYS_PTRACE', 'DAC_READ_SEARCH'] });
    assert.ok(c.resources.limits.cpu && c.resources.limits.memory && c.resources.requests.cpu && c.resources.requests.memory);
    assert.ok(c.volumeMounts.every((m) => m.readOnly && m.mountPath.startsWith('/host/')));
    assert.deepEqual(pod.volumes.map((v) => v.hostPath?.path), ['/var/lib/containerd', '/var/lib/containers']);
    assert.deepEqual(c.args, ['sensor', 'run', '--cluster', '--host-root', '/host', '--output', 'https://kubeguard-runtime.kubeguard.svc:8443/events', '--cluster-name', 'prod']);
    assert.ok(c.env.some((e) => e.name === 'NODE_NAME' && e.valueFrom), 'the node name from the downward API');
  });

  it('its service account may only get, list and watch pods', () => {
    const all = objects();
    const roles = all.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
    assert.equal(roles.length, 1);
    assert.deepEqual((roles[0] as KubeObject & { rules: unknown }).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    const binding = all.find((o) => o.kind === 'ClusterRoleBinding') as KubeObject & { subjects: { name: string; namespace: string }[] };
    assert.deepEqual(binding.subjects.map((s) => `${s.namespace}/${s.name}`), ['kubeguard-sensor/kubeguard-sensor']);
  });

  it('the printed YAML scans clean with the strict preset, only the documented waivers suppressing', async () => {
    const parsed = parseManifestText(renderSensorManifests(objects()), 'sensor.yaml');
    assert.deepEqual(parsed.errors ?? [], []);
    const catalog = await ruleCatalog();
    const report = scan(parsed.resources, { rules: resolveRules(catalog, { preset: 'strict' }), now: new Date() });
    assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.resource.kind} ${f.path}`), []);
    assert.deepEqual(report.errors, []);
    const known = new Set(catalog.map((r) => r.id));
    for (const id of [...Object.keys(SENSOR_WAIVERS), ...Object.keys(NAMESPACE_WAIVERS)]) assert.ok(known.has(id), `${id} is a rule`);
  });

  it('every waiver is needed: without the annotations each waived rule fires', async () => {
    const bare = objects().map((o) => {
      const { annotations: _a, ...metadata } = o.metadata ?? {};
      return { ...o, metadata };
    });
    const report = scan(parseManifestText(renderSensorManifests(bare), 'sensor.yaml').resources, { rules: resolveRules(await ruleCatalog(), { preset: 'strict' }), now: new Date() });
    const fired = new Set(report.findings.map((f) => f.ruleId));
    for (const id of [...Object.keys(SENSOR_WAIVERS), ...Object.keys(NAMESPACE_WAIVERS)]) assert.ok(fired.has(id), `${id} is waived but does not fire`);
  });
});
