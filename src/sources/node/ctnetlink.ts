/**
 * ctnetlink event messages (netlink NETLINK_NETFILTER, subsystem CTNETLINK), decoded into fixed-size records, and
 * records into ConntrackEvents. The layout is the kernel's uapi: include/uapi/linux/netfilter/nfnetlink.h (nfgenmsg,
 * groups), nfnetlink_conntrack.h (CTA_* attributes; tuple values in network byte order). Only the original
 * direction is kept (who opened the connection), with CTA_ID, the TCP state and CTA_TIMESTAMP when the kernel
 * stamps connections (net.netfilter.nf_conntrack_timestamp=1; otherwise the time the event was received).
 *
 * A record (RECORD_SIZE bytes, little-endian) holds only numbers and address bytes copied from the kernel's message:
 * it is what the reader in another network namespace sends its parent over a pipe, so nothing in it is text a
 * workload chose. Pure.
 */
import { canonicalIp } from './pods.js';
import type { ConntrackEvent, ConntrackType } from './conntrack-line.js';

export const NETLINK_NETFILTER = 12;
/** nfnetlink multicast groups (enum nfnetlink_groups). */
export const NFNLGRP_CONNTRACK_NEW = 1;
const NFNL_SUBSYS_CTNETLINK = 1;
const IPCTNL_MSG_CT_NEW = 0;
const IPCTNL_MSG_CT_DELETE = 2;
const NLM_F_CREATE = 0x400;
const NLA_TYPE_MASK = 0x3fff;

const CTA_TUPLE_ORIG = 1;
const CTA_PROTOINFO = 4;
const CTA_ID = 12;
const CTA_TIMESTAMP = 20;
const CTA_TUPLE_IP = 1;
const CTA_TUPLE_PROTO = 2;
const CTA_IP_V4_SRC = 1;
const CTA_IP_V4_DST = 2;
const CTA_IP_V6_SRC = 3;
const CTA_IP_V6_DST = 4;
const CTA_PROTO_NUM = 1;
const CTA_PROTO_SRC_PORT = 2;
const CTA_PROTO_DST_PORT = 3;
const CTA_PROTOINFO_TCP = 1;
const CTA_PROTOINFO_TCP_STATE = 1;
const CTA_TIMESTAMP_START = 1;

/** Record kinds: a connection event, the reader's counters, "subscribed". */
export const REC_EVENT = 1;
export const REC_STATS = 2;
export const REC_READY = 3;
export const RECORD_SIZE = 56;
// event record: 0 kind, 1 type (0 NEW, 1 UPDATE, 2 DESTROY), 2 family (4|6), 3 IP protocol, 4 flags, 5 TCP state,
// 6 sport, 8 dport, 12 id, 16 time (f64 seconds), 24 src (16 bytes), 40 dst (16 bytes)
const F_PORTS = 1;
const F_STATE = 2;
const F_ID = 4;
const F_SRC = 8;
const F_DST = 16;
const TYPES: readonly ConntrackType[] = ['NEW', 'UPDATE', 'DESTROY'];
/** conntrack-tools' protocol names (libnetfilter_conntrack), so both readers spell them alike. */
const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 33: 'dccp', 47: 'gre', 58: 'icmpv6', 132: 'sctp', 136: 'udplite' };
/** enum tcp_conntrack (include/uapi/linux/netfilter/nf_conntrack_tcp.h). */
const TCP_STATES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];

/**
 * Decodes every ctnetlink message of one datagram into records appended to `out` from `offset` (as many as fit);
 * returns the new offset and how many messages were malformed. `receivedAt` (seconds) stamps events the kernel
 * did not stamp.
 */
export function decodeCtDatagram(msg: Uint8Array, receivedAt: number, out: Buffer, offset: number): { offset: number; malformed: number } {
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  let malformed = 0;
  let at = offset;
  for (let m = 0; m + 16 <= msg.length; ) {
    const len = view.getUint32(m, true);
    if (len < 16 || m + len > msg.length) {
      malformed++;
      break;
    }
    const type = view.getUint16(m + 4, true);
    if (type >> 8 === NFNL_SUBSYS_CTNETLINK && at + RECORD_SIZE <= out.length) {
      const ok = decodeMessage(msg, view, m, len, type & 0xff, view.getUint16(m + 6, true), receivedAt, out, at);
      if (ok) at += RECORD_SIZE;
      else malformed++;
    }
    m += (len + 3) & ~3;
  }
  return { offset: at, malformed };
}

function decodeMessage(msg: Uint8Array, view: DataView, m: number, len: number, kind: number, flags: number, receivedAt: number, out: Buffer, at: number): boolean {
  if (kind !== IPCTNL_MSG_CT_NEW && kind !== IPCTNL_MSG_CT_DELETE) return false;
  const end = m + len;
  const start = m + 16 + 4; // nlmsghdr, nfgenmsg
  if (start > end) return false;
  out.fill(0, at, at + RECORD_SIZE);
  out[at] = REC_EVENT;
  out[at + 1] = kind === IPCTNL_MSG_CT_DELETE ? 2 : flags & NLM_F_CREATE ? 0 : 1;
  let time = receivedAt;
  let fl = 0;
  const okAttrs = eachAttr(view, start, end, (t, p, l) => {
    if (t === CTA_TUPLE_ORIG) {
      return eachAttr(view, p, p + l, (tt, pp, ll) => {
        if (tt === CTA_TUPLE_IP) {
          return eachAttr(view, pp, pp + ll, (it, ip, il) => {
            const v4 = it === CTA_IP_V4_SRC || it === CTA_IP_V4_DST;
            const v6 = it === CTA_IP_V6_SRC || it === CTA_IP_V6_DST;
            if (!v4 && !v6) return true;
            if (il !== (v4 ? 4 : 16)) return false;
            out[at + 2] = v4 ? 4 : 6;
            const src = it === CTA_IP_V4_SRC || it === CTA_IP_V6_SRC;
            out.set(msg.subarray(ip, ip + il), at + (src ? 24 : 40));
            fl |= src ? F_SRC : F_DST;
            return true;
          });
        }
        if (tt === CTA_TUPLE_PROTO) {
          return eachAttr(view, pp, pp + ll, (pt, p2, l2) => {
            if (pt === CTA_PROTO_NUM && l2 >= 1) out[at + 3] = msg[p2];
            else if ((pt === CTA_PROTO_SRC_PORT || pt === CTA_PROTO_DST_PORT) && l2 >= 2) {
              out.writeUInt16LE(view.getUint16(p2, false), at + (pt === CTA_PROTO_SRC_PORT ? 6 : 8));
              fl |= F_PORTS;
            }
            return true;
          });
        }
        return true;
      });
    }
    if (t === CTA_ID && l >= 4) {
      out.writeUInt32LE(view.getUint32(p, false), at + 12);
      fl |= F_ID;
    } else if (t === CTA_PROTOINFO) {
      return eachAttr(view, p, p + l, (pt, p2, l2) =>
        pt !== CTA_PROTOINFO_TCP ||
        eachAttr(view, p2, p2 + l2, (st, p3, l3) => {
          if (st === CTA_PROTOINFO_TCP_STATE && l3 >= 1) {
            out[at + 5] = msg[p3];
            fl |= F_STATE;
          }
          return true;
        }),
      );
    } else if (t === CTA_TIMESTAMP) {
      return eachAttr(view, p, p + l, (st, p2, l2) => {
        if (st === CTA_TIMESTAMP_START && l2 >= 8) time = Number(view.getBigUint64(p2, false)) / 1e9;
        return true;
      });
    }
    return true;
  });
  if (!okAttrs || (fl & (F_SRC | F_DST)) !== (F_SRC | F_DST)) return false;
  out[at + 4] = fl;
  out.writeDoubleLE(time, at + 16);
  return true;
}

/** Calls `fn(type, valueOffset, valueLength)` for each attribute in [p, end); false when one is malformed or `fn` says so. */
function eachAttr(view: DataView, p: number, end: number, fn: (type: number, at: number, len: number) => boolean): boolean {
  while (p + 4 <= end) {
    const len = view.getUint16(p, true);
    if (len < 4 || p + len > end) return false;
    if (!fn(view.getUint16(p + 2, true) & NLA_TYPE_MASK, p + 4, len - 4)) return false;
    p += (len + 3) & ~3;
  }
  return true;
}

/** The event a record holds (undefined for other kinds). */
export function recordToEvent(buf: Buffer, at: number): ConntrackEvent | undefined {
  if (buf[at] !== REC_EVENT) return undefined;
  const fl = buf[at + 4];
  const proto = buf[at + 3];
  const ev: ConntrackEvent = {
    type: TYPES[buf[at + 1]] ?? 'NEW',
    time: buf.readDoubleLE(at + 16),
    proto: PROTO_NAMES[proto] ?? 'unknown',
    src: address(buf, at + 24, buf[at + 2]),
    dst: address(buf, at + 40, buf[at + 2]),
  };
  if (fl & F_PORTS) {
    ev.sport = buf.readUInt16LE(at + 6);
    ev.dport = buf.readUInt16LE(at + 8);
  }
  if (fl & F_STATE && proto === 6) ev.state = TCP_STATES[buf[at + 5]] ?? 'NONE';
  if (fl & F_ID) ev.id = buf.readUInt32LE(at + 12);
  return ev;
}

function address(buf: Buffer, at: number, family: number): string {
  if (family === 4) return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(at + i).toString(16));
  return canonicalIp(groups.join(':'));
}

/** Counters of a reader, as they cross the pipe. */
export interface CtReaderCounters {
  events: number;
  malformed: number;
  /** ENOBUFS reports: the socket's buffer overflowed at least once each time. */
  overflows: number;
  /** The kernel's exact drop count for the socket (/proc/net/netlink); -1 when unreadable. */
  kernelDrops: number;
  errors: number;
  /** Records the reader in another namespace could not hand on (its parent did not keep up). */
  relayDropped: number;
}

const COUNTERS: readonly (keyof CtReaderCounters)[] = ['events', 'malformed', 'overflows', 'kernelDrops', 'errors', 'relayDropped'];

export function countersRecord(c: CtReaderCounters, kind = REC_STATS): Buffer {
  const b = Buffer.alloc(RECORD_SIZE);
  b[0] = kind;
  COUNTERS.forEach((k, i) => b.writeDoubleLE(c[k], 8 + i * 8));
  return b;
}

export function recordToCounters(buf: Buffer, at: number): CtReaderCounters | undefined {
  if (buf[at] !== REC_STATS && buf[at] !== REC_READY) return undefined;
  const c = {} as CtReaderCounters;
  COUNTERS.forEach((k, i) => (c[k] = buf.readDoubleLE(at + 8 + i * 8)));
  return c;
}
