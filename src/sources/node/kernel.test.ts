/** The node sources against the real kernel, in a scene of the test's own namespaces (test-support/scene.ts). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProcConnector } from './proc-connector.js';
import type { ProcEvent } from './proc-events.js';
import { ProcReader } from './procfs.js';
import { containerOfCgroupFile } from './cgroup.js';
import { ConntrackSource } from './conntrack.js';
import { CtnetlinkSource } from './ctnetlink-source.js';
import { ConnectionSource } from './connections.js';
import type { ConnectionReader } from './connections.js';
import type { ConntrackEvent } from './conntrack-line.js';
import { readListening } from './listening.js';
import { UpperLayerCheck } from './drift.js';
import { Scene, sceneUnavailable } from './test-support/scene.js';
import { skipUnlessAvailable, waitFor } from './test-support/wait.js';

const skip = skipUnlessAvailable(sceneUnavailable());

describe('node sources on the real kernel', { skip }, () => {
  let scene: Scene;
  before(() => {
    scene = new Scene();
    scene.addPod('client', { layout: 'cgroupfs' });
    scene.addPod('server', { layout: 'systemd', runtime: 'cri-o' });
  });
  after(() => scene?.close());

  it('the process connector reports exec and exit of a process, with its exit code', async () => {
    const seen: ProcEvent[] = [];
    const pc = new ProcConnector();
    await pc.start((events) => {
      for (const e of events) seen.push({ ...e });
    });
    try {
      const child = spawn('/bin/sh', ['-c', 'exit 3']);
      const pid = child.pid!;
      await waitFor('exit event', () => seen.some((e) => e.what === 'exit' && e.pid === pid));
      assert.ok(seen.some((e) => e.what === 'exec' && e.pid === pid), 'exec seen');
      assert.ok(seen.some((e) => e.what === 'fork' && e.childPid === pid && e.parentPid === process.pid), 'fork from this process');
      const exit = seen.find((e) => e.what === 'exit' && e.pid === pid);
      assert.equal(exit?.what === 'exit' && exit.exitCode, 3 << 8, 'wait status as the kernel reports it');
      pc.refreshKernelDrops();
      assert.equal(typeof pc.stats.kernelDrops, 'number');
    } finally {
      pc.stop();
    }
  });

  it('/proc attributes a process in a pod cgroup to its container (v1 cgroupfs and v2 systemd layouts)', async () => {
    for (const pod of scene.pods) {
      const child = scene.exec(pod, ['sleep', '5']);
      const reader = new ProcReader();
      const facts = await waitFor('the process in its netns', () => {
        const f = reader.read(child.pid!);
        return f.argv?.[0] === 'sleep' ? f : undefined;
      });
      assert.deepEqual(facts.argv, ['sleep', '5']);
      assert.match(facts.exe ?? '', /sleep$/);
      const c = containerOfCgroupFile(facts.cgroup ?? '');
      assert.equal(c?.containerId, pod.containerId, pod.layout);
      assert.equal(c?.podUid, pod.uid);
      assert.equal(c?.layout, pod.layout);
      assert.equal(c?.version, pod.layout === 'systemd' ? 2 : 1);
      child.kill();
    }
  });

  it('conntrack reports a pod-to-pod connection routed through the node, and /proc the listener', async () => {
    const [client, server] = scene.pods;
    const listener = scene.exec(server, [process.execPath, '-e', "require('net').createServer((s)=>s.end()).listen(8080,'0.0.0.0',()=>console.log('up'))"]);
    await new Promise<void>((resolve) => listener.stdout!.once('data', () => resolve()));
    const sockets = readListening(listener.pid!);
    assert.ok(sockets.some((s) => s.port === 8080 && s.ip === '0.0.0.0' && s.inode > 0), JSON.stringify(sockets));
    const seen: ConntrackEvent[] = [];
    const ct = new ConntrackSource();
    await ct.start((e) => seen.push(e), { netns: scene.netnsPath });
    try {
      const conn = scene.exec(client, [process.execPath, '-e', `require('net').connect(8080,'${server.ip}').on('connect',function(){this.end()}).on('error',()=>process.exit(1))`]);
      const code = await new Promise((r) => conn.once('close', r));
      assert.equal(code, 0, 'the client reached the server through the node');
      const e = await waitFor('NEW event', () => seen.find((x) => x.src === client.ip && x.dst === server.ip));
      assert.equal(e.type, 'NEW');
      assert.equal(e.proto, 'tcp');
      assert.equal(e.dport, 8080);
      assert.ok(e.time > 1e9);
    } finally {
      await ct.stop();
      listener.kill();
    }
  });

  it('conntrack that cannot start says why', async () => {
    await assert.rejects(new ConntrackSource().start(() => {}, { netns: `/run/netns/kg-${scene.id}-missing` }), /./);
  });

  it('the ctnetlink reader sees the connections conntrack -E sees, field for field (TCP and UDP, through a reader in the node netns)', async () => {
    const [client, server] = scene.pods;
    const listener = scene.exec(server, [process.execPath, '-e', "require('net').createServer((s)=>s.end()).listen(8081,'0.0.0.0',()=>console.log('up'))"]);
    await new Promise<void>((resolve) => listener.stdout!.once('data', () => resolve()));
    const fromTool: ConntrackEvent[] = [];
    const fromSocket: ConntrackEvent[] = [];
    const ct = new ConntrackSource();
    const raw = new CtnetlinkSource();
    await ct.start((e) => fromTool.push(e), { netns: scene.netnsPath });
    await raw.start((batch) => fromSocket.push(...batch), { netns: scene.netnsPath });
    assert.equal(raw.stats.where, 'netns-reader');
    try {
      const conn = scene.exec(client, [process.execPath, '-e', `require('net').connect(8081,'${server.ip}').on('connect',function(){this.end()}).on('error',()=>process.exit(1)); const u = require('dgram').createSocket('udp4'); u.send('x', 9, '${server.ip}', () => u.close())`]);
      assert.equal(await new Promise((r) => conn.once('close', r)), 0);
      const ours = (list: ConntrackEvent[], proto: string) => list.find((x) => x.src === client.ip && x.dst === server.ip && x.proto === proto);
      for (const proto of ['tcp', 'udp']) {
        const tool = await waitFor(`conntrack -E ${proto}`, () => ours(fromTool, proto));
        const socket = await waitFor(`ctnetlink ${proto}`, () => ours(fromSocket, proto));
        const { time: toolTime, ...toolRest } = tool;
        const { time: socketTime, ...socketRest } = socket;
        assert.deepEqual(socketRest, toolRest, proto);
        assert.ok(socketTime > 1e9 && Math.abs(socketTime - toolTime) < 5, `${socketTime} vs ${toolTime}`);
      }
      assert.equal(ours(fromSocket, 'tcp')?.state, 'SYN_SENT');
      assert.equal(ours(fromSocket, 'tcp')?.dport, 8081);
      assert.equal(ours(fromSocket, 'udp')?.dport, 9);
    } finally {
      await raw.stop();
      await ct.stop();
      listener.kill();
    }
    // the reader's last counters came over the pipe when it stopped
    assert.ok(raw.stats.events >= 2, JSON.stringify(raw.stats));
    assert.equal(raw.stats.kernelDrops, 0);
    assert.equal(raw.stats.overflows + raw.stats.malformed + raw.stats.relayDropped + raw.stats.errors, 0);
  });

  it('the ctnetlink reader that cannot enter its namespace says why', async () => {
    await assert.rejects(new CtnetlinkSource().start(() => {}, { netns: `/run/netns/kg-${scene.id}-missing` }), /nsenter|No such file/);
  });

  it('when ctnetlink cannot be opened, conntrack -E reads the connections instead, and the source says why', async () => {
    const [client, server] = scene.pods;
    const refused: ConnectionReader = { stats: {}, start: () => Promise.reject(Object.assign(new Error('socket: Operation not permitted'), { code: 'EPERM' })), stop: async () => {} };
    const source = new ConnectionSource({ ctnetlink: refused });
    const seen: ConntrackEvent[] = [];
    await source.start((batch) => seen.push(...batch), { netns: scene.netnsPath });
    try {
      assert.equal(source.reader, 'conntrack-tools');
      assert.equal(source.ctnetlinkUnavailable, 'EPERM: socket: Operation not permitted');
      assert.equal(source.stats.reader, 'conntrack-tools');
      const probe = scene.exec(client, [process.execPath, '-e', `const u = require('dgram').createSocket('udp4'); u.send('x', 10, '${server.ip}', () => u.close())`]);
      assert.equal(await new Promise((r) => probe.once('close', r)), 0);
      await waitFor('the fallback reader', () => seen.find((x) => x.src === client.ip && x.dst === server.ip && x.dport === 10));
    } finally {
      await source.stop();
    }
  });

  it('a connection source that can open neither reader gives both reasons', async () => {
    await assert.rejects(new ConnectionSource().start(() => {}, { netns: `/run/netns/kg-${scene.id}-missing` }), /^Error: ctnetlink: .+; conntrack -E: .+/);
  });

  it('an executable written into the overlay upper layer is told apart from one in the image (lower) layer', async () => {
    const pod = scene.pods[0];
    const base = join(scene.dir, 'ovl');
    const o = { lower: join(base, 'lower'), upper: join(base, 'upper'), work: join(base, 'work'), merged: join(base, 'merged') };
    for (const d of Object.values(o)) mkdirSync(join(d, 'bin'), { recursive: true });
    copyFileSync('/bin/sleep', join(o.lower, 'bin', 'imagetool'));
    copyFileSync('/bin/sleep', join(o.upper, 'bin', 'dropped'));
    const check = new UpperLayerCheck();
    for (const [tool, upper] of [['dropped', true], ['imagetool', false]] as const) {
      const child = scene.exec(pod, [join(o.merged, 'bin', tool), '5'], { overlay: o });
      const reader = new ProcReader();
      const facts = await waitFor(`${tool} running`, () => {
        const f = reader.read(child.pid!);
        return f.exe?.endsWith(tool) ? f : undefined;
      });
      assert.equal(check.exeInUpperLayer(child.pid!, facts.exe!), upper, tool);
      child.kill();
    }
    assert.equal(check.exeInUpperLayer(process.pid, process.execPath), false, 'the host root is no overlay');
  });
});
