/**
 * `kubeguard agent` as a long-running process against a real `kubeguard serve` process and the in-process fake API
 * server (src/sources/cluster/test-support, which serves list + watch from resourceVersions): --interval passes
 * again on its own and exits cleanly on SIGTERM; --watch passes soon after a change that matters to the rules,
 * and not after a status-only change; --health-port answers the liveness probe: 503 while a pass is stuck past
 * --pass-limit, 200 again once it ends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../core/model.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';
import { sampleCluster } from '../../sources/cluster/test-support/cluster-objects.js';
import { adminUser, startServer as startApiServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import { openStore } from '../../sources/store/open.js';
import { kubeguardAsync, kubeguardDaemon } from '../../cli/test-support/run-cli.js';
import { createApiToken } from '../access/tokens.js';

const PASS = /agent: (\w+): (?:([^:]+): )?(\d+) objects, \d+ findings, \d+ server exception\(s\); uploaded: (\d+) new, (\d+) fixed, (\d+) reopened/g;

function passes(stderr: string): { cluster: string; why?: string; objects: number; new: number; fixed: number }[] {
  return [...stderr.matchAll(PASS)].map((m) => ({ cluster: m[1], ...(m[2] !== undefined && { why: m[2] }), objects: Number(m[3]), new: Number(m[4]), fixed: Number(m[5]) }));
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  for (let waited = 0; !cond(); waited += 100) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve({ code: child.exitCode, signal: null }) : child.once('exit', (code, signal) => resolve({ code, signal }))));
}

describe('kubeguard agent, long-running', () => {
  let dir: string;
  let db: string;
  let api: FakeApiServer;
  let kubeconfig: string;
  let serve: ChildProcess | undefined;
  let url: string;
  const tokens: Record<string, string> = {};
  const sample = sampleCluster();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-agent-run-'));
    db = join(dir, 'server.db');
    const store = await openStore(db);
    for (const c of ['interval', 'watch', 'health']) tokens[c] = (await createApiToken(store, { role: 'uploader', name: `agent-${c}`, cluster: c, now: new Date() })).token;
    await store.close();
    api = await startApiServer(sample.objects);
    kubeconfig = writeKubeconfig(api.url, [adminUser()]);
    const d = await kubeguardDaemon(['serve', '--port', '0', '--database', db, '--log-level', 'silent', '--no-dashboard'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    serve = d.child;
    url = d.match[1];
  });
  after(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await exited(serve);
    }
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const uploads = async (cluster: string) => {
    const store = await openStore(db);
    try {
      return Number((await store.db.selectFrom('uploads').where('cluster', '=', cluster).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await store.close();
    }
  };

  it('--interval: passes again on its own, each an upload the server keeps; SIGTERM ends it cleanly', async () => {
    const agent = await kubeguardDaemon(['agent', '--server', url, '--cluster-name', 'interval', '--kubeconfig', kubeconfig, '--interval', '10'], /uploaded:/, { KUBEGUARD_TOKEN: tokens.interval });
    try {
      await until('a second pass', () => passes(agent.stderr()).length >= 2, 30_000);
      const [first, second] = passes(agent.stderr());
      assert.deepEqual([first.objects, second.objects, second.new, second.fixed], [sample.objects.length, sample.objects.length, 0, 0]);
      assert.ok(first.new > 0);
      assert.equal(await uploads('interval'), 2);
    } finally {
      agent.child.kill('SIGTERM');
    }
    assert.deepEqual(await exited(agent.child), { code: 0, signal: null });
    assert.match(agent.stderr(), /agent: stopped\n$/);
    assert.ok(!agent.stderr().includes(tokens.interval));
  });

  it('--watch: a change the rules read starts a pass within seconds; a status-only change does not', async () => {
    const agent = await kubeguardDaemon(['agent', '--server', url, '--cluster-name', 'watch', '--kubeconfig', kubeconfig, '--interval', '3600', '--watch', '--watch-debounce', '1', '--watch-min-gap', '1'], /uploaded:/, { KUBEGUARD_TOKEN: tokens.watch });
    try {
      await until('the watches', () => api.watchers() > 5, 10_000);
      const pod = sample.objects.find((o) => o.kind === 'Pod') as KubeObject & { status?: Record<string, unknown> };
      api.apply({ ...pod, status: { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } as KubeObject);
      await sleep(3000);
      assert.equal(passes(agent.stderr()).length, 1, 'status churn starts no pass');

      const privileged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug-shell', namespace: 'default' }, spec: { containers: [{ name: 'sh', image: 'busybox:1.36', securityContext: { privileged: true } }] } } as KubeObject;
      api.apply(privileged);
      await until('a pass after the change', () => passes(agent.stderr()).length >= 2, 15_000);
      const second = passes(agent.stderr())[1];
      assert.equal(second.why, 'changed Pod');
      assert.equal(second.objects, sample.objects.length + 1);
      assert.ok(second.new > 0, 'the new pod’s findings are uploaded');

      api.remove(privileged);
      await until('a pass after the deletion', () => passes(agent.stderr()).length >= 3, 15_000);
      assert.ok(passes(agent.stderr())[2].fixed > 0, 'its findings are fixed');
      assert.equal(passes(agent.stderr())[0].why, 'start');
    } finally {
      agent.child.kill('SIGTERM');
    }
    assert.deepEqual(await exited(agent.child), { code: 0, signal: null });
  });

  it('--health-port: /healthz is 503 while a pass is stuck past --pass-limit and 200 once it ends; not with --once', async () => {
    // a cluster whose pod list answers after 6 s: the first pass is stuck that long
    const slow = await startApiServer(sample.objects, { faults: [{ path: /^\/api\/v1\/pods\?(?!.*watch=)/, times: 1, delayMs: 6000 }] });
    const slowConfig = writeKubeconfig(slow.url, [adminUser()]);
    const agent = await kubeguardDaemon(['agent', '--server', url, '--cluster-name', 'health', '--kubeconfig', slowConfig, '--interval', '3600', '--watch', '--health-port', '0', '--pass-limit', '2'], /liveness on port (\d+)/, { KUBEGUARD_TOKEN: tokens.health });
    const probe = async () => {
      const r = await fetch(`http://127.0.0.1:${agent.match[1]}/healthz`);
      return { code: r.status, body: (await r.json()) as { status: string; state: string } };
    };
    try {
      let stuck: { code: number; body: { status: string; state: string } } | undefined;
      for (let i = 0; i < 100 && stuck?.code !== 503; i++) {
        stuck = await probe();
        if (stuck.code !== 503) await sleep(100);
      }
      assert.equal(stuck?.code, 503);
      assert.equal(stuck?.body.status, 'stale');
      assert.match(stuck!.body.state, /^a pass has been running for \d+ s \(limit 2 s\)$/);
      await until('the pass to end', () => passes(agent.stderr()).length >= 1, 30_000);
      assert.deepEqual(await probe(), { code: 200, body: { status: 'ok', state: 'waiting' } });
      assert.equal((await fetch(`http://127.0.0.1:${agent.match[1]}/metrics`)).status, 404);
    } finally {
      agent.child.kill('SIGTERM');
      await slow.close();
    }
    assert.deepEqual(await exited(agent.child), { code: 0, signal: null });
    const once = await kubeguardAsync(['agent', '--server', url, '--cluster-name', 'health', '--kubeconfig', kubeconfig, '--once', '--health-port', '0'], { KUBEGUARD_TOKEN: tokens.health });
    assert.equal(once.code, 2);
    assert.match(once.stderr, /--health-port is for the long-running agent/);
  });
});
