/**
 * The mapping from kernel records to runtime events, over a /proc tree written by the test (the same files the
 * kernel serves, in its formats) so that every case is exact; kernel.test.ts and src/sensor/sensor.test.ts run
 * the same code against the real kernel.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEvent, encodeEvent } from '../../core/events/index.js';
import type { RuntimeEvent } from '../../core/events/index.js';
import { NodeEvents, rfc3339Nanos } from './node-events.js';
import { PodIndex } from './pods.js';
import { ProcReader } from './procfs.js';

const ID = 'ab'.repeat(32);
const UID = '6f1c2a4e-9a7b-4c8e-8d2b-5e6f7a8b9c0d';

function writeProc(root: string, pid: number, p: { argv: string[]; exe: string; ppid: number; cgroup: string; tty?: number; uid?: number }): void {
  const dir = join(root, String(pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cmdline'), p.argv.join('\0') + '\0');
  symlinkSync(p.exe, join(dir, 'exe'));
  writeFileSync(join(dir, 'stat'), `${pid} (${p.argv[0].split('/').pop()}) S ${p.ppid} ${pid} ${pid} ${p.tty ?? 0} -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12345 1000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`);
  writeFileSync(join(dir, 'status'), `Name:\t${p.argv[0]}\nUid:\t${p.uid ?? 0}\t${p.uid ?? 0}\t${p.uid ?? 0}\t${p.uid ?? 0}\nGid:\t0\t0\t0\t0\n`);
  writeFileSync(join(dir, 'cgroup'), p.cgroup);
  chownSync(dir, p.uid ?? 0, p.uid ?? 0); // the kernel makes /proc/PID owned by the process's effective uid
}

describe('NodeEvents', () => {
  let root: string;
  let events: NodeEvents;
  const out: RuntimeEvent[] = [];
  const emit = (e: RuntimeEvent) => out.push(e);
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kg-proc-'));
    writeProc(root, 100, { argv: ['/usr/bin/containerd-shim-runc-v2'], exe: '/usr/bin/containerd-shim-runc-v2', ppid: 1, cgroup: '0::/system.slice/containerd.service\n' });
    writeProc(root, 200, { argv: ['sh', '-c', 'id'], exe: '/bin/dash', ppid: 100, cgroup: `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replace(/-/g, '_')}.slice/cri-containerd-${ID}.scope\n`, tty: 34816, uid: 1000 });
    writeProc(root, 300, { argv: ['uname', '-a'], exe: '/usr/bin/uname', ppid: 1, cgroup: '0::/user.slice/user-0.slice/session-1.scope\n' });
    const pods = new PodIndex('node-1');
    pods.addAll([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop', uid: UID }, spec: { nodeName: 'node-1' }, status: { podIP: '10.244.1.7', containerStatuses: [{ name: 'nginx', containerID: `containerd://${ID}`, image: 'nginx:1.27', imageID: `nginx@sha256:${'f'.repeat(64)}` }] } }]);
    events = new NodeEvents({ pods, reader: new ProcReader(root), node: 'node-1', cluster: 'prod', nodeAddresses: new Set(['192.0.2.10']), monoToWallNs: 1_700_000_000_000_000_000n });
    events.seed();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('an exec in a pod container: pod, container, image digest, terminal, uid, parent; valid on the wire', () => {
    out.length = 0;
    events.onProcEvents([{ what: 'exec', monoNs: 5_000_000_123n, pid: 200, tgid: 200 }], emit);
    assert.equal(out.length, 1);
    const e = out[0];
    assert.equal(e.kind, 'process.exec');
    assert.equal(e.time, '2023-11-14T22:13:25.000000123Z');
    assert.deepEqual(e.workload, { cluster: 'prod', node: 'node-1', namespace: 'shop', pod: 'web-1', podUid: UID, container: 'nginx', containerId: `containerd://${ID}`, image: 'nginx:1.27', imageDigest: `sha256:${'f'.repeat(64)}` });
    assert.ok(e.kind === 'process.exec');
    assert.deepEqual(e.process, { pid: 200, name: 'dash', binary: '/bin/dash', args: ['-c', 'id'], uid: 1000, tty: true, parent: { pid: 100, name: 'containerd-shim-runc-v2', binary: '/usr/bin/containerd-shim-runc-v2' } });
    const decoded = decodeEvent(JSON.parse(encodeEvent(e)));
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
  });

  it('a host process is marked host; its exit carries the exit code, a killed one the signal', () => {
    out.length = 0;
    events.onProcEvents([{ what: 'exec', monoNs: 1n, pid: 300, tgid: 300 }], emit);
    assert.deepEqual(out[0].workload, { cluster: 'prod', node: 'node-1', host: true });
    events.onProcEvents([{ what: 'exit', monoNs: 2n, pid: 300, tgid: 300, exitCode: 2 << 8, exitSignal: 17 }], emit);
    const exit = out[1];
    assert.ok(exit.kind === 'process.exit');
    assert.equal(exit.process.exitCode, 2);
    assert.equal(exit.process.name, 'uname');
    events.onProcEvents([{ what: 'exec', monoNs: 3n, pid: 200, tgid: 200 }, { what: 'exit', monoNs: 4n, pid: 200, tgid: 200, exitCode: 9, exitSignal: 17 }], emit);
    const killed = out[3];
    assert.ok(killed.kind === 'process.exit');
    assert.equal(killed.process.signal, 'SIGKILL');
    assert.equal(killed.workload.pod, 'web-1', 'attributed after the process is gone');
  });

  it('an exec whose process is gone is counted, not guessed; a fork that never exec\'d has no exit event', () => {
    out.length = 0;
    const before = events.stats.execGone;
    events.onProcEvents([{ what: 'exec', monoNs: 1n, pid: 999, tgid: 999 }], emit);
    assert.equal(events.stats.execGone, before + 1);
    events.onProcEvents([{ what: 'fork', monoNs: 1n, parentPid: 100, parentTgid: 100, childPid: 998, childTgid: 998 }, { what: 'exit', monoNs: 2n, pid: 998, tgid: 998, exitCode: 0, exitSignal: 17 }], emit);
    assert.deepEqual(out, []);
  });

  it('of two execs of one process in a batch, only the last is reported (what /proc shows), the first counted', () => {
    out.length = 0;
    const before = events.stats.execSuperseded;
    events.onProcEvents([{ what: 'exec', monoNs: 1n, pid: 200, tgid: 200 }, { what: 'exec', monoNs: 2n, pid: 200, tgid: 200 }], emit);
    assert.equal(out.length, 1);
    assert.equal(out[0].time, '2023-11-14T22:13:20.000000002Z');
    assert.equal(events.stats.execSuperseded, before + 1);
  });

  it('connections: egress of a pod, ingress to a pod, the node\'s own, and traffic of neither', () => {
    out.length = 0;
    events.onConntrack({ type: 'NEW', time: 1700000000.5, proto: 'tcp', src: '10.244.1.7', dst: '203.0.113.9', sport: 40000, dport: 443 }, emit);
    assert.equal(out[0].kind, 'network.connect');
    assert.equal(out[0].workload.pod, 'web-1');
    assert.equal(out[0].time, '2023-11-14T22:13:20.500000000Z');
    assert.ok(out[0].kind === 'network.connect');
    assert.deepEqual(out[0].network, { protocol: 'TCP', src: { ip: '10.244.1.7', port: 40000, namespace: 'shop', pod: 'web-1' }, dst: { ip: '203.0.113.9', port: 443 }, direction: 'egress' });
    events.onConntrack({ type: 'NEW', time: 1, proto: 'udp', src: '192.0.2.10', dst: '10.244.1.7', sport: 5353, dport: 53 }, emit);
    assert.deepEqual(out.slice(1).map((e) => [e.kind, e.workload.host ?? e.workload.pod]), [['network.connect', true], ['network.accept', 'web-1']]);
    const before = events.stats.connectionsElsewhere;
    events.onConntrack({ type: 'NEW', time: 1, proto: 'tcp', src: '10.9.9.9', dst: '10.8.8.8', sport: 1, dport: 2 }, emit);
    assert.equal(events.stats.connectionsElsewhere, before + 1);
    events.onConntrack({ type: 'DESTROY', time: 1, proto: 'tcp', src: '10.244.1.7', dst: '10.8.8.8', sport: 1, dport: 2 }, emit);
    assert.equal(out.length, 3);
  });

  it('RFC 3339 with nanoseconds', () => {
    assert.equal(rfc3339Nanos(1_700_000_000_000_000_007n), '2023-11-14T22:13:20.000000007Z');
  });
});
