/** The agent's two install modes: what each runs and may read (the bundle test holds both to the bundle's bar). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { ruleCatalog } from '../../admission/test-support/catalog.js';
import type { AgentMode, InstallSettings } from '../component.js';
import { AGENT_NAME, agentComponent } from './agent.js';

async function objects(agentMode: AgentMode): Promise<KubeObject[]> {
  const s: InstallSettings = { namespace: 'kubeguard', mainNamespace: 'kubeguard', image: 'registry.example.com/kg@sha256:' + 'ab'.repeat(32), replicas: 2, certManager: false, failurePolicy: 'Fail', validDays: 30, agentMode, catalog: await ruleCatalog(), now: new Date() };
  return agentComponent.manifests(s);
}

type Pod = { containers: { args: string[]; ports?: { name: string; containerPort: number }[]; livenessProbe?: { httpGet: { path: string; port: string } } }[]; restartPolicy: string };
const verbs = (os: KubeObject[]) => [...new Set((os.find((o) => o.kind === 'ClusterRole') as unknown as { rules: { verbs: string[]; resources: string[] }[] }).rules.flatMap((r) => r.verbs))];
const resources = (os: KubeObject[]) => (os.find((o) => o.kind === 'ClusterRole') as unknown as { rules: { resources: string[] }[] }).rules.flatMap((r) => r.resources);

test('watch (default of the CLI): one Recreate replica running agent --watch hourly, list+watch RBAC, a PDB a drain can pass', async () => {
  const os = await objects('watch');
  assert.deepEqual(os.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
  const d = os.find((o) => o.kind === 'Deployment') as unknown as { spec: { replicas: number; strategy: { type: string }; template: { spec: Pod } } };
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.strategy.type, 'Recreate', 'a rollout never runs two agents uploading the same cluster');
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  const [c] = d.spec.template.spec.containers;
  assert.deepEqual(c.args.slice(0, 6), ['agent', '--watch', '--interval', '3600', '--health-port', '8080']);
  // the probe asks the agent's own liveness endpoint, which fails once its loop, a pass or a watch stops making progress
  assert.deepEqual(c.livenessProbe?.httpGet, { path: '/healthz', port: 'health' });
  assert.deepEqual(c.ports?.map((p) => [p.name, p.containerPort]), [['health', 8080]]);
  assert.deepEqual(verbs(os), ['list', 'watch']);
  assert.ok(!resources(os).includes('secrets'));
  const pdb = os.find((o) => o.kind === 'PodDisruptionBudget') as unknown as { spec: Record<string, unknown> };
  assert.deepEqual(pdb.spec, { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } } });
});

test('cronjob: agent --once every hour, never overlapping, list-only RBAC, no long-running workload', async () => {
  const os = await objects('cronjob');
  assert.deepEqual(os.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CronJob', 'NetworkPolicy', 'ServiceAccount']);
  const c = os.find((o) => o.kind === 'CronJob') as unknown as { spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: Pod } } } } };
  assert.equal(c.spec.concurrencyPolicy, 'Forbid');
  assert.match(c.spec.schedule, /^\d+ \* \* \* \*$/);
  assert.equal(c.spec.jobTemplate.spec.template.spec.restartPolicy, 'Never');
  assert.deepEqual(c.spec.jobTemplate.spec.template.spec.containers[0].args.slice(0, 2), ['agent', '--once']);
  assert.equal(c.spec.jobTemplate.spec.template.spec.containers[0].livenessProbe, undefined, 'a Job ends by itself (activeDeadlineSeconds bounds it)');
  assert.deepEqual(verbs(os), ['list']);
  assert.deepEqual(resources(os).sort(), resources(await objects('watch')).sort(), 'the same kinds either way');
});
