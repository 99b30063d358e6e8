import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProcEvents, encodeProcEvent, mcastRequest } from './proc-events.js';
import { parseConntrackLine, isOverflowWarning } from './conntrack-line.js';
import { parseListening } from './listening.js';
import { overlayHolding, upperPath } from './drift.js';
import { netlinkDrops } from './proc-connector.js';

describe('process connector messages', () => {
  it('decodes fork, exec and exit, and leaves threads out', () => {
    const datagram = Buffer.concat([
      encodeProcEvent({ what: 'fork', monoNs: 5n, parentPid: 10, parentTgid: 10, childPid: 11, childTgid: 11 }),
      encodeProcEvent({ what: 'fork', monoNs: 6n, parentPid: 10, parentTgid: 10, childPid: 12, childTgid: 10 }), // a thread
      encodeProcEvent({ what: 'exec', monoNs: 7n, pid: 11, tgid: 11 }),
      encodeProcEvent({ what: 'exit', monoNs: 8n, pid: 12, tgid: 10, exitCode: 0, exitSignal: 17 }), // a thread
      encodeProcEvent({ what: 'exit', monoNs: 9n, pid: 11, tgid: 11, exitCode: 256, exitSignal: 17 }),
    ]);
    const { events, malformed } = decodeProcEvents(datagram);
    assert.equal(malformed, 0);
    assert.deepEqual(events.map((e) => e.what), ['fork', 'exec', 'exit']);
    assert.deepEqual(events[1], { what: 'exec', monoNs: 7n, pid: 11, tgid: 11 });
    assert.equal(events[2].what === 'exit' && events[2].exitCode, 256);
  });
  it('counts a truncated message as malformed and stops there', () => {
    const whole = encodeProcEvent({ what: 'exec', monoNs: 1n, pid: 3, tgid: 3 });
    const { events, malformed } = decodeProcEvents(whole.subarray(0, whole.length - 8));
    assert.equal(events.length, 0);
    assert.equal(malformed, 1);
  });
  it('skips other connector ids', () => {
    const other = encodeProcEvent({ what: 'exec', monoNs: 1n, pid: 3, tgid: 3 });
    other.writeUInt32LE(7, 16);
    assert.equal(decodeProcEvents(other).events.length, 0);
  });
  it('builds the subscribe request (nlmsghdr + cn_msg + op)', () => {
    const m = mcastRequest(1234);
    assert.equal(m.length, 40);
    assert.equal(m.readUInt32LE(0), 40);
    assert.equal(m.readUInt32LE(12), 1234);
    assert.equal(m.readUInt16LE(32), 4);
    assert.equal(m.readUInt32LE(36), 1);
  });
  it('reads the Drops column of /proc/net/netlink for its socket', () => {
    const text = 'sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n' +
      '000000002780645d 0   0          00000000 0        0        0     2        0        4\n' +
      '00000000deadbeef 11  4194304123 00000001 0        0        0     2        17       99\n' +
      '00000000feedbeef 12  4194304123 00000001 0        0        0     2        3        98\n';
    assert.equal(netlinkDrops(4194304123, 11, text), 17);
    assert.equal(netlinkDrops(4194304123, 12, text), 3, 'the same port number on another netlink protocol is another socket');
    assert.equal(netlinkDrops(5, 11, text), undefined);
  });
});

describe('conntrack -E lines', () => {
  it('reads the original direction of a new TCP connection (lines as conntrack 1.4.7 prints them)', () => {
    const e = parseConntrackLine('[1796547714.384845]\t    [NEW] tcp      6 120 SYN_SENT src=10.1.0.2 dst=10.1.1.2 sport=56496 dport=9 [UNREPLIED] src=10.1.1.2 dst=10.1.0.2 sport=9 dport=56496 id=2104748428');
    assert.deepEqual(e, { type: 'NEW', time: 1796547714.384845, proto: 'tcp', state: 'SYN_SENT', src: '10.1.0.2', dst: '10.1.1.2', sport: 56496, dport: 9, id: 2104748428 });
  });
  it('reads UDP (no state) and IPv6', () => {
    const u = parseConntrackLine('[1796547714.728635]\t    [NEW] udp      17 30 src=127.0.0.1 dst=127.0.0.1 sport=60803 dport=53 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=53 dport=60803 id=4190640063');
    assert.equal(u?.state, undefined);
    assert.equal(u?.dport, 53);
    const v6 = parseConntrackLine('[1796547714.681314]\t[DESTROY] tcp      6 120 CLOSE src=::1 dst=::1 sport=57690 dport=7 [UNREPLIED] src=::1 dst=::1 sport=7 dport=57690 id=2798813280');
    assert.equal(v6?.type, 'DESTROY');
    assert.equal(v6?.src, '::1');
  });
  it('reads ICMP (no ports) and refuses what is not an event line', () => {
    const i = parseConntrackLine('[1.5]\t    [NEW] icmp     1 30 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=7 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=7');
    assert.equal(i?.proto, 'icmp');
    assert.equal(i?.dport, undefined);
    assert.equal(parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 5 flow events have been shown.'), undefined);
    assert.equal(parseConntrackLine('[NEW] tcp 6'), undefined);
    assert.equal(isOverflowWarning('WARNING: We have hit ENOBUFS! We are losing events.'), true);
  });
});

describe('listening sockets', () => {
  it('reads LISTEN entries of tcp and tcp6 (addresses in host byte order)', () => {
    const tcp = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41022 1 0000000000000000 100 0 0 10 0\n' +
      '   1: 0200010A:1F90 0300010A:C350 01 00000000:00000000 00:00000000 00000000     0        0 41023 1 0000000000000000 100 0 0 10 0\n';
    assert.deepEqual(parseListening(tcp, false), [{ ip: '127.0.0.1', port: 3306, inode: 41022 }]);
    const tcp6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5150 1 0000000000000000 100 0 0 10 0\n' +
      '   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5151 1 0000000000000000 100 0 0 10 0\n' +
      '   2: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5152 1 0000000000000000 100 0 0 10 0\n' +
      '   3: 000080FE00000000FF000FAA0100A8C0:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5153 1 0000000000000000 100 0 0 10 0\n';
    assert.deepEqual(parseListening(tcp6, true).map((s) => `${s.ip}/${s.port}`), ['::/8080', '::1/22', '127.0.0.1/80', 'fe80::aa0f:ff:c0a8:1/80']);
  });
});

describe('overlay upper layer', () => {
  const mounts = [
    { mountPoint: '/', root: '/', type: 'overlay', superOptions: ['rw', 'lowerdir=/var/lib/containerd/s/1/fs', 'upperdir=/var/lib/containerd/s/9/fs', 'workdir=/var/lib/containerd/s/9/work'] },
    { mountPoint: '/proc', root: '/', type: 'proc', superOptions: ['rw'] },
    { mountPoint: '/data', root: '/', type: 'ext4', superOptions: ['rw'] },
  ];
  it('finds the deepest mount holding a path and its upper dir', () => {
    const o = overlayHolding(mounts, '/usr/local/bin/x');
    assert.deepEqual(o, { mountPoint: '/', root: '/', upperdir: '/var/lib/containerd/s/9/fs' });
    assert.equal(upperPath(o!, '/usr/local/bin/x'), '/var/lib/containerd/s/9/fs/usr/local/bin/x');
    assert.equal(overlayHolding(mounts, '/data/tool'), undefined, 'a volume is not the image');
    assert.equal(overlayHolding(mounts, '/datax/tool')?.mountPoint, '/', '/datax is not under /data');
  });
  it('an overlay mounted below the root (a test scene, a nested runtime)', () => {
    const o = overlayHolding([...mounts.slice(1), { mountPoint: '/tmp/m', root: '/', type: 'overlay', superOptions: ['upperdir=/tmp/u'] }], '/tmp/m/bin/t');
    assert.equal(upperPath(o!, '/tmp/m/bin/t'), '/tmp/u/bin/t');
  });
});
