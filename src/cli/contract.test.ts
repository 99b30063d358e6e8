/**
 * The one CLI contract (src/cli/inputs.ts, src/usecases/inputs.ts, src/core/outcome.ts): every command that reads a cluster exits 3 when
 * the cluster forbids listing a kind it needs ("could not evaluate"), and answers normally (0 or 1) with full
 * access. A new command with --cluster must be added here: the test finds them all in the program.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from './main.js';
import type { FakeApiServer } from '../sources/cluster/test-support/api-server.js';
import { sampleCluster } from '../sources/cluster/test-support/cluster-objects.js';
import { adminUser, startServer, tokenUser, writeKubeconfig } from '../sources/cluster/test-support/harness.js';
import { testdataPath } from '../test-support/testdata.js';

const ENTRY = fileURLToPath(new URL('./run.ts', import.meta.url));
const MANY = fileURLToPath(new URL('./test-support/run-many.ts', import.meta.url));
const FALCO_EVENTS = testdataPath('falco-events', 'docs-examples.jsonl');

function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

/** Exit codes of several command lines run one after the other in one process (output discarded). */
function cliMany(lines: string[][], dir: string): Promise<number[]> {
  const out = join(dir, `codes-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', MANY, out, JSON.stringify(lines)], { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`run-many failed: ${stderr}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')) as number[]);
    });
  });
}

/**
 * Servers read the cluster once at start and keep running: what they could not read is a warning on stderr, not an
 * exit code (their own tests cover it).
 */
const SERVERS = ['runtime serve', 'sensor run'];

/** Leaf commands (as "netpol reach") that take the --cluster flag (not `--cluster <name>`), servers aside. */
function clusterCommands(program: Command): string[] {
  const out: string[] = [];
  const walk = (cmd: Command, prefix: string[]): void => {
    const path = cmd === program ? [] : [...prefix, cmd.name()];
    const readsCluster = cmd.options.some((o) => o.long === '--cluster' && !o.required && !o.optional);
    if (cmd.commands.length === 0 && readsCluster && !SERVERS.includes(path.join(' '))) out.push(path.join(' '));
    for (const sub of cmd.commands) walk(sub, path);
  };
  walk(program, []);
  return out.sort();
}

describe('every command that reads a cluster: a forbidden kind it needs → exit 3', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-contract-'));
  const policy = (name: string, ingress: unknown[]) =>
    JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress } });
  const oldPolicies = join(dir, 'old.json');
  const newPolicies = join(dir, 'new.json');
  const flows = join(dir, 'flows.jsonl');
  writeFileSync(oldPolicies, policy('p', [{}]));
  writeFileSync(newPolicies, policy('p', []));
  writeFileSync(flows, '{"src":"shop/web","dst":"shop/web","port":80}\n');
  const driftManifests = join(dir, 'drift.yaml');
  writeFileSync(driftManifests, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "shop/web:1.0"}]}}}\n');

  // [command words, arguments, the resource the restricted user may not list]
  const cases: [string, string[], string][] = [
    ['scan', [], 'pods'],
    ['pss', [], 'pods'],
    ['rbac who-can', ['get', 'secrets'], 'clusterrolebindings'],
    ['rbac permissions', ['sa:shop/deployer'], 'clusterrolebindings'],
    ['rbac paths', [], 'clusterrolebindings'],
    ['rbac blast-radius', ['shop/Deployment/web'], 'clusterrolebindings'],
    ['netpol reach', ['--from', 'shop/web', '--to', 'shop/web', '--port', '80'], 'networkpolicies'],
    ['netpol matrix', [], 'networkpolicies'],
    ['netpol isolation', [], 'networkpolicies'],
    ['netpol exposure', [], 'networkpolicies'],
    ['netpol diff', [oldPolicies, newPolicies], 'networkpolicies'],
    ['netpol generate', ['--flows', flows], 'networkpolicies'],
    ['netpol simulate', ['--flows', flows], 'networkpolicies'],
    ['runtime analyze', [FALCO_EVENTS], 'pods'],
    ['paths', [], 'clusterrolebindings'],
    // the live side of a manifest's Deployment cannot be read: its drift could not be evaluated
    ['drift', [driftManifests], 'deployments'],
    // the kubelet's /configz through the node proxy (the sample cluster's one node)
    ['node check', ['--api-only', '--node', 'kind-control-plane'], 'nodes'],
  ];
  const forbidden = [...new Set(cases.map((c) => c[2]))];

  before(async () => {
    const tokens = Object.fromEntries(forbidden.map((r) => [`t-${r}`, { name: `no-${r}`, groups: [] }]));
    server = await startServer(sampleCluster().objects, {
      tokens,
      authorize: ({ user, resource }) => user.name !== `no-${resource}`,
      nodeProxy: { 'kind-control-plane': { configz: { kubeletconfig: { authentication: { anonymous: { enabled: false } }, readOnlyPort: 0 } } } },
    });
    kubeconfig = writeKubeconfig(server.url, [adminUser(), ...forbidden.map((r) => tokenUser(`no-${r}`, `t-${r}`))]);
  });
  after(() => server.close());

  it('covers every command with --cluster', async () => {
    assert.deepEqual(clusterCommands(await buildProgram()), cases.map((c) => c[0]).sort());
  });

  it('exits 3 with a forbidden kind it needs, and 0 or 1 with full access', async () => {
    // each context in a process of its own, every command line in it: two process starts instead of 26
    const lines = (context: (resource: string) => string) =>
      cases.map(([command, args, resource]) => [...command.split(' '), ...args, '--cluster', '--kubeconfig', kubeconfig, '--context', context(resource), '--quiet']);
    const [full, restricted] = await Promise.all([cliMany(lines(() => 'admin'), dir), cliMany(lines((r) => `no-${r}`), dir)]);
    cases.forEach(([command, , resource], i) => {
      assert.ok(full[i] === 0 || full[i] === 1, `${command} with full access: exit ${full[i]}`);
      assert.equal(restricted[i], 3, `${command} without ${resource}: exit ${restricted[i]}`);
    });
  });

  it('snapshot of a cluster with a forbidden kind is written and exits 3', async () => {
    const r = await cli(['snapshot', '-o', join(dir, 'snap.json'), '--kubeconfig', kubeconfig, '--context', 'no-networkpolicies', '--quiet']);
    assert.equal(r.code, 3, r.stderr);
  });

  it('a snapshot that lacks a kind makes the commands that need it exit 3, and says why on stderr', async () => {
    const file = join(dir, 'partial.json');
    await cli(['snapshot', '-o', file, '--kubeconfig', kubeconfig, '--context', 'no-networkpolicies', '--quiet']);
    const r = await cli(['netpol', 'matrix', '--snapshot', file]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /could not evaluate netpol \(cluster\): needs NetworkPolicy: .*403/);
  });
});
