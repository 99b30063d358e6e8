/**
 * ctnetlink messages built byte by byte as the kernel lays them out (include/uapi/linux/netfilter/nfnetlink.h,
 * nfnetlink_conntrack.h; ctnetlink_conntrack_event() in net/netfilter/nf_conntrack_netlink.c: nlmsghdr, nfgenmsg,
 * then CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_ID, … with nested attributes flagged NLA_F_NESTED and tuple values in
 * network byte order). The same decoder is checked against conntrack -E on the real kernel in kernel.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RECORD_SIZE, REC_READY, REC_STATS, countersRecord, decodeCtDatagram, recordToCounters, recordToEvent } from './ctnetlink.js';

const NESTED = 0x8000;
function attr(type: number, value: Buffer, nested = false): Buffer {
  const len = 4 + value.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type | (nested ? NESTED : 0), 2);
  value.copy(b, 4);
  return b;
}
const nest = (type: number, ...children: Buffer[]) => attr(type, Buffer.concat(children), true);
const be16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
function message(msgType: number, flags: number, family: number, attrs: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from([family, 0, 0, 0]), ...attrs]);
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + body.length, 0);
  h.writeUInt16LE((1 << 8) | msgType, 4); // NFNL_SUBSYS_CTNETLINK
  h.writeUInt16LE(flags, 6);
  return Buffer.concat([h, body]);
}
/** CTA_TUPLE_* with CTA_IP_* and CTA_PROTO_* inside. */
function tuple(type: number, src: Buffer, dst: Buffer, proto: number, ports?: [number, number]): Buffer {
  const v6 = src.length === 16;
  const ip = nest(1, attr(v6 ? 3 : 1, src), attr(v6 ? 4 : 2, dst));
  const p = nest(2, attr(1, Buffer.from([proto])), ...(ports ? [attr(2, be16(ports[0])), attr(3, be16(ports[1]))] : [attr(4, be16(7)), attr(5, Buffer.from([8])), attr(6, Buffer.from([0]))]));
  return nest(type, ip, p);
}
const NEW_FLAGS = 0x400 | 0x200; // NLM_F_CREATE | NLM_F_EXCL
const v4 = (s: string) => Buffer.from(s.split('.').map(Number));

function decode(datagram: Buffer, receivedAt = 1700000000.25) {
  const out = Buffer.alloc(RECORD_SIZE * 8);
  const r = decodeCtDatagram(datagram, receivedAt, out, 0);
  const events = [];
  for (let at = 0; at < r.offset; at += RECORD_SIZE) events.push(recordToEvent(out, at));
  return { events, malformed: r.malformed };
}

describe('ctnetlink event messages', () => {
  it('a new TCP connection: the original direction, its id and TCP state (the reply tuple is not the opener)', () => {
    const msg = message(0, NEW_FLAGS, 2, [
      tuple(1, v4('10.1.0.2'), v4('10.1.1.2'), 6, [56496, 9]),
      tuple(2, v4('10.1.1.2'), v4('10.1.0.2'), 6, [9, 56496]),
      attr(12, be32(2104748428)),
      nest(4, nest(1, attr(1, Buffer.from([1])), attr(2, Buffer.from([7])))),
    ]);
    const { events, malformed } = decode(msg);
    assert.equal(malformed, 0);
    assert.deepEqual(events, [{ type: 'NEW', time: 1700000000.25, proto: 'tcp', src: '10.1.0.2', dst: '10.1.1.2', sport: 56496, dport: 9, state: 'SYN_SENT', id: 2104748428 }]);
  });

  it('IPv6 compressed as inet_ntop writes it; ICMP without ports; the kernel\'s start stamp when it sets one', () => {
    const a = Buffer.from('fd000000000000000000000000000007', 'hex');
    const b = Buffer.from('20010db8000000010000000000000001', 'hex');
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64BE(1796547714384845000n);
    const msg = message(0, NEW_FLAGS, 10, [tuple(1, a, b, 58), attr(12, be32(5)), nest(20, attr(1, stamp))]);
    const { events } = decode(msg);
    assert.deepEqual(events, [{ type: 'NEW', time: 1796547714.384845, proto: 'icmpv6', src: 'fd00::7', dst: '2001:db8:0:1::1', id: 5 }]);
  });

  it('several messages in one datagram; UPDATE and DESTROY told apart; messages of other subsystems skipped', () => {
    const udp = (flags: number, kind: number) => message(kind, flags, 2, [tuple(1, v4('192.0.2.1'), v4('192.0.2.2'), 17, [5353, 53])]);
    const other = Buffer.from(message(0, NEW_FLAGS, 2, []));
    other.writeUInt16LE((2 << 8) | 0, 4); // NFNL_SUBSYS_CTNETLINK_EXP
    const { events, malformed } = decode(Buffer.concat([udp(NEW_FLAGS, 0), udp(0, 0), other, udp(0, 2)]));
    assert.equal(malformed, 0);
    assert.deepEqual(events.map((e) => [e?.type, e?.proto, e?.sport, e?.dport, e?.id]), [
      ['NEW', 'udp', 5353, 53, undefined],
      ['UPDATE', 'udp', 5353, 53, undefined],
      ['DESTROY', 'udp', 5353, 53, undefined],
    ]);
  });

  it('malformed input is counted, never read past its end', () => {
    const good = message(0, NEW_FLAGS, 2, [tuple(1, v4('10.0.0.1'), v4('10.0.0.2'), 6, [1, 2])]);
    // an attribute longer than its message
    const longAttr = Buffer.from(good);
    longAttr.writeUInt16LE(500, 20);
    // a message longer than the datagram
    const longMsg = Buffer.from(good);
    longMsg.writeUInt32LE(4096, 0);
    // an IPv4 address of 3 bytes; a tuple without addresses
    const shortIp = message(0, NEW_FLAGS, 2, [nest(1, nest(1, attr(1, Buffer.from([10, 0, 0])), attr(2, v4('10.0.0.2'))))]);
    const noIp = message(0, NEW_FLAGS, 2, [attr(12, be32(1))]);
    for (const [name, bad] of [['attribute', longAttr], ['message', longMsg], ['address', shortIp], ['no tuple', noIp]] as const) {
      const r = decode(bad);
      assert.deepEqual(r, { events: [], malformed: 1 }, name);
    }
    assert.deepEqual(decode(Buffer.alloc(3)), { events: [], malformed: 0 }, 'shorter than a header: nothing');
  });

  it('stops at a full output buffer (the rest of the datagram is not written past it)', () => {
    const m = message(0, NEW_FLAGS, 2, [tuple(1, v4('10.0.0.1'), v4('10.0.0.2'), 6, [1, 2])]);
    const out = Buffer.alloc(RECORD_SIZE);
    assert.equal(decodeCtDatagram(Buffer.concat([m, m]), 1, out, 0).offset, RECORD_SIZE);
  });

  it('counters cross the pipe as fixed records, told apart from events', () => {
    const c = { events: 123456789, malformed: 1, overflows: 2, kernelDrops: -1, errors: 0, relayDropped: 7 };
    for (const kind of [REC_STATS, REC_READY]) {
      const rec = countersRecord(c, kind);
      assert.equal(rec.length, RECORD_SIZE);
      assert.deepEqual(recordToCounters(rec, 0), c);
      assert.equal(recordToEvent(rec, 0), undefined);
    }
    const m = message(0, NEW_FLAGS, 2, [tuple(1, v4('10.0.0.1'), v4('10.0.0.2'), 6, [1, 2])]);
    const out = Buffer.alloc(RECORD_SIZE);
    decodeCtDatagram(m, 1, out, 0);
    assert.equal(recordToCounters(out, 0), undefined);
  });
});
