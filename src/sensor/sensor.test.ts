/**
 * `kubeguard sensor run` as users run it (a child process of the real CLI), on the real kernel, in a scene the
 * test builds the way kubelet and a CNI build a node (src/sources/node/test-support/scene.ts): two pods routed
 * through a node namespace, kubelet-named cgroups, a snapshot naming their container ids and IPs. With the sensor
 * running: a shell in a pod, a real nmap TCP connect scan from one pod to the other, a binary dropped into an
 * overlay upper directory and run, a connection to a host outside the cluster. The events must name the pod and
 * container of each.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent } from '../core/events/index.js';
import type { RuntimeEvent } from '../core/events/index.js';
import { REPO_ROOT } from '../test-support/conformance.js';
import { kubeguardAsync } from '../cli/test-support/run-cli.js';
import { Scene, sceneUnavailable } from '../sources/node/test-support/scene.js';
import type { ScenePod } from '../sources/node/test-support/scene.js';
import { skipUnlessAvailable, waitFor } from '../sources/node/test-support/wait.js';

const skip = skipUnlessAvailable(sceneUnavailable());

function finished(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('close', (code) => resolve(code))));
}

describe('kubeguard sensor run on the real kernel', { skip }, () => {
  let scene: Scene;
  let client: ScenePod;
  let server: ScenePod;
  const events: RuntimeEvent[] = [];
  let stderr = '';
  let exitCode: number | null = null;
  let snapshot = '';
  let out = '';

  before(async () => {
    scene = new Scene();
    client = scene.addPod('client', { layout: 'cgroupfs', namespace: 'shop', container: 'web' });
    server = scene.addPod('db', { layout: 'systemd', runtime: 'cri-o', namespace: 'data', container: 'postgres' });
    snapshot = scene.writeSnapshot('node-1');
    out = join(scene.dir, 'events.jsonl');
    const sensor = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'sensor', 'run', '--snapshot', snapshot, '--node-name', 'node-1', '--netns', scene.netnsPath, '--output', out, '--no-host-processes', '--duration', '60'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    sensor.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      // ready once it says its sources run
      await waitFor('the sensor to start', () => stderr.includes('"sensor":"started"'), 30_000);
      // a listener in each place the test connects to
      const listening = (c: ChildProcess) => new Promise<void>((resolve) => c.stdout!.once('data', () => resolve()));
      const dbListener = scene.exec(server, [process.execPath, '-e', "require('net').createServer((s)=>s.end()).listen(5432,'0.0.0.0',()=>console.log('up'))"]);
      const outside = scene.execOutside([process.execPath, '-e', "require('net').createServer((s)=>s.end()).listen(443,'0.0.0.0',()=>console.log('up'))"]);
      await Promise.all([listening(dbListener), listening(outside)]);

      // a shell in the client pod's container
      assert.equal(await finished(scene.exec(client, ['sh', '-c', 'sleep 0.3; exit 0'])), 0);
      // a real nmap TCP connect scan from the client pod to the db pod
      // paced (300 probes a second): a scan need not be fast to be one, and the test must not depend on how busy the machine is
      const nmap = scene.exec(client, ['nmap', '-sT', '-Pn', '-n', '--max-rate', '300', '--max-retries', '0', '-p', '1-300,5432', server.ip]);
      let nmapOut = '';
      nmap.stdout!.on('data', (d: Buffer) => (nmapOut += d.toString()));
      assert.equal(await finished(nmap), 0);
      assert.match(nmapOut, /5432\/tcp\s+open/, 'nmap reached the db pod through the node');
      // a binary dropped into the db container's overlay upper dir, and one from the image (lower) layer
      const base = join(scene.dir, 'rootfs');
      const o = { lower: join(base, 'lower'), upper: join(base, 'upper'), work: join(base, 'work'), merged: join(base, 'merged') };
      for (const d of Object.values(o)) mkdirSync(join(d, 'bin'), { recursive: true });
      copyFileSync('/bin/sleep', join(o.lower, 'bin', 'pg_ctl'));
      copyFileSync('/bin/sleep', join(o.upper, 'bin', 'xmrig'));
      assert.equal(await finished(scene.exec(server, [join(o.merged, 'bin', 'xmrig'), '0.3'], { overlay: o })), 0);
      assert.equal(await finished(scene.exec(server, [join(o.merged, 'bin', 'pg_ctl'), '0.3'], { overlay: o })), 0);
      // a connection from the client pod to a host outside the cluster
      const egress = scene.exec(client, [process.execPath, '-e', `require('net').connect(443,'${scene.outsideIp}').on('connect',function(){this.end()}).on('error',()=>process.exit(1))`]);
      assert.equal(await finished(egress), 0);
      dbListener.kill();
      outside.kill();
      // let conntrack's last lines through, then stop the sensor as Kubernetes does
      await new Promise((r) => setTimeout(r, 500));
      sensor.kill('SIGTERM');
      exitCode = await finished(sensor);
      for (const line of readFileSync(out, 'utf8').split('\n')) {
        if (!line) continue;
        const d = decodeEvent(JSON.parse(line));
        assert.ok(d.ok, d.ok ? '' : d.error);
        events.push(d.event);
      }
    } catch (e) {
      sensor.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\nsensor stderr: ${stderr}`);
    }
  });
  after(() => scene?.close());

  it('stops on SIGTERM with a summary: every source ran, nothing lost', () => {
    const summary = JSON.parse(stderr.trim().split('\n').pop()!) as { sensor: string; sources: Record<string, { state: string; [k: string]: unknown }>; lost: Record<string, number>; emitted: number };
    assert.equal(summary.sensor, 'summary');
    assert.deepEqual(Object.fromEntries(Object.entries(summary.sources).map(([k, v]) => [k, v.state])), { process: 'running', conntrack: 'running', proc: 'running' });
    // connections read from ctnetlink by a reader process inside --netns, which said it lost nothing
    assert.equal(summary.sources.conntrack.reader, 'ctnetlink');
    assert.equal(summary.sources.conntrack.where, 'netns-reader');
    assert.equal(summary.sources.conntrack.kernelDrops, 0);
    assert.ok((summary.sources.conntrack.events as number) >= 302, JSON.stringify(summary.sources.conntrack));
    assert.deepEqual(summary.lost, { kernel: 0, overflows: 0, queue: 0, sink: 0 }, JSON.stringify(summary));
    assert.equal(summary.emitted, events.length);
    assert.equal(exitCode, 0, stderr);
    assert.ok(events.every((e) => !e.workload.host), '--no-host-processes');
  });

  it('a shell in a pod is attributed to that pod and container', () => {
    const sh = events.find((e) => e.kind === 'process.exec' && e.process.args.join(' ') === '-c sleep 0.3; exit 0');
    assert.ok(sh && sh.kind === 'process.exec');
    assert.match(sh.process.binary ?? '', /\/(dash|bash|sh)$/);
    assert.deepEqual(
      { namespace: sh.workload.namespace, pod: sh.workload.pod, container: sh.workload.container, containerId: sh.workload.containerId, node: sh.workload.node },
      { namespace: 'shop', pod: 'client', container: 'web', containerId: `containerd://${client.containerId}`, node: 'node-1' },
    );
  });

  it('the nmap connect scan: one connect event per port probed, from the scanning pod', () => {
    const probes = events.filter((e) => e.kind === 'network.connect' && e.workload.pod === 'client' && e.network.dst.ip === server.ip);
    const ports = new Set(probes.map((e) => (e.kind === 'network.connect' ? e.network.dst.port : 0)));
    assert.ok(ports.size >= 301, `${ports.size} distinct ports`);
    assert.ok(probes.every((e) => e.kind === 'network.connect' && e.network.dst.pod === 'db' && e.network.dst.namespace === 'data' && e.network.direction === 'egress'));
    const accepted = events.filter((e) => e.kind === 'network.accept' && e.workload.pod === 'db');
    assert.ok(accepted.length >= 301, 'the db pod saw each probe arrive');
    const open = accepted.find((e) => e.kind === 'network.accept' && e.network.dst.port === 5432 && e.process);
    assert.ok(open && open.kind === 'network.accept' && open.process?.name === 'node', `the listening process of the db pod is named: ${JSON.stringify(accepted.filter((e) => e.kind === 'network.accept' && e.network.dst.port === 5432))} ${JSON.stringify(events.filter((e) => e.workload.pod === 'db' && e.kind.startsWith('process')).slice(0, 6))}`);
  });

  it('a binary from the overlay upper layer is drift; one from the image layer is not', () => {
    const execs = events.filter((e) => e.kind === 'process.exec' && e.workload.pod === 'db');
    const dropped = execs.find((e) => e.kind === 'process.exec' && e.process.name === 'xmrig');
    const image = execs.find((e) => e.kind === 'process.exec' && e.process.name === 'pg_ctl');
    assert.ok(dropped?.kind === 'process.exec' && dropped.process.exeUpperLayer === true, 'xmrig');
    assert.ok(image?.kind === 'process.exec' && image.process.exeUpperLayer === false, 'pg_ctl');
    assert.equal(dropped.workload.container, 'postgres');
  });

  it('a connection to a host outside the cluster is reported from the pod', () => {
    const out = events.find((e) => e.kind === 'network.connect' && e.network.dst.ip === scene.outsideIp);
    assert.ok(out && out.kind === 'network.connect');
    assert.equal(out.workload.pod, 'client');
    assert.equal(out.network.dst.port, 443);
    assert.equal(out.network.dst.pod, undefined);
  });

  it('replayed through runtime analyze, the events are incidents of the pods that caused them', async () => {
    const r = await kubeguardAsync(['runtime', 'analyze', out, '--snapshot', snapshot, '--format', 'json', '-q']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const { incidents } = JSON.parse(r.stdout) as { incidents: { ruleId: string; workload: { namespace: string; pod?: string; container?: string } }[] };
    const of = (ruleId: string) => incidents.filter((i) => i.ruleId === ruleId).map((i) => [i.workload.namespace, i.workload.pod, i.workload.container].filter(Boolean).join('/'));
    assert.deepEqual(of('runtime-shell-in-container'), ['shop/client/web'], JSON.stringify(incidents.map((i) => i.ruleId)));
    // connections are attributed to the pod by its IP: the scan names the pod (which container is not known)
    assert.deepEqual(of('runtime-port-scan'), ['shop/client']);
    // xmrig from the overlay upper layer: drift, and a miner by name
    assert.deepEqual(of('runtime-drift-exec'), ['data/db/postgres']);
    assert.deepEqual(of('runtime-crypto-mining'), ['data/db/postgres'], JSON.stringify(incidents.filter((i) => i.ruleId === 'runtime-crypto-mining')));
  });
});

describe('kubeguard sensor run: sources that cannot start', { skip }, () => {
  it('outside the host network namespace the process connector is unavailable, and the others go on (exit 3)', async () => {
    const scene = new Scene();
    try {
      const child = spawn('ip', ['netns', 'exec', scene.nodeNetns, process.execPath, '--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'sensor', 'run', '--duration', '1', '--output', join(scene.dir, 'out.jsonl')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await finished(child);
      const [started, summary] = stderr.trim().split('\n').map((l) => JSON.parse(l) as { sensor: string; sources: Record<string, { state: string; reason?: string }> });
      assert.equal(started.sensor, 'started');
      assert.equal(started.sources.process.state, 'unavailable');
      assert.match(started.sources.process.reason ?? '', /ECONNREFUSED|EPROTONOSUPPORT|EPERM/);
      assert.equal(started.sources.conntrack.state, 'running');
      assert.equal((started.sources.conntrack as { reader?: string }).reader, 'ctnetlink', 'read in this namespace, in-process');
      assert.equal(started.sources.proc.state, 'running');
      assert.equal(summary.sensor, 'summary');
      assert.equal(code, 3);
    } finally {
      scene.close();
    }
  });
});

describe('kubeguard sensor run: usage', () => {
  it('an unknown source or both pod feeds are usage errors (exit 2)', async () => {
    const { kubeguard } = await import('../cli/test-support/run-cli.js');
    const r = kubeguard(['sensor', 'run', '--sources', 'process,ebpf', '--duration', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown source ebpf/);
    assert.equal(kubeguard(['sensor', 'run', '--snapshot', 'x.json', '--cluster']).code, 2);
  });
});

describe('kubeguard sensor run --cluster', () => {
  it('attributes by the pods of its node, listed and watched from the API server', async () => {
    const { startServer, tokenUser, writeKubeconfig } = await import('../sources/cluster/test-support/harness.js');
    const pod = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: `u-${name}` }, spec: { nodeName: node }, status: { podIP: `10.1.0.${name.length}` } });
    const server = await startServer([pod('mine', 'node-7'), pod('theirs', 'node-8'), pod('mine-too', 'node-7')], { tokens: { t: { name: 'system:serviceaccount:kubeguard-sensor:kubeguard-sensor', groups: [] } } });
    try {
      const kubeconfig = writeKubeconfig(server.url, [tokenUser('sensor', 't')]);
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'sensor', 'run', '--cluster', '--kubeconfig', kubeconfig, '--node-name', 'node-7', '--sources', 'proc', '--duration', '1', '--output', '-'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      assert.equal(await finished(child), 0, stderr);
      const started = JSON.parse(stderr.split('\n')[0]) as { pods: number; node: string };
      assert.deepEqual({ pods: started.pods, node: started.node }, { pods: 2, node: 'node-7' });
      assert.ok(server.log.some((l) => l.path.includes('watch=true') && l.path.includes('spec.nodeName%3Dnode-7')), 'it watched its node');
    } finally {
      await server.close();
    }
  });
});

describe('runSensor: a receiver that is down', { skip }, () => {
  it('stops within its flush deadline and counts what it could not send as lost', async () => {
    const { createServer } = await import('node:http');
    const { runSensor } = await import('./run.js');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(503).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const lines: string[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    const run = runSensor({ output: `http://127.0.0.1:${port}/events`, sources: ['process'], node: 'n', flushTimeoutMs: 300, stopSignal, log: (l) => lines.push(l) });
    await waitFor('started', () => lines.some((l) => l.includes('"started"')));
    // processes that live long enough to be read (an instant one may be gone first, and is then not an event)
    for (let i = 0; i < 5; i++) await finished(spawn('sleep', ['0.05']));
    stop();
    const summary = await run;
    await new Promise<void>((r) => server.close(() => r()));
    assert.equal(summary.emitted, 0, 'the receiver accepted nothing');
    assert.ok(summary.lost.sink > 0, JSON.stringify(summary.lost));
  });
});
