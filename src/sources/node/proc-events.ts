/**
 * The kernel's process events connector messages (include/uapi/linux/cn_proc.h, connector.h), decoded. Pure:
 * proc-connector.ts owns the socket. Layout of one netlink message: nlmsghdr (16 bytes), cn_msg (id.idx, id.val,
 * seq, ack: u32; len, flags: u16 = 20 bytes), then proc_event: what (u32), cpu (u32), timestamp_ns (u64,
 * CLOCK_MONOTONIC), event_data at offset 16. Host byte order (little-endian on the platforms we ship for).
 */

export const NETLINK_CONNECTOR = 11;
export const CN_IDX_PROC = 1;
export const CN_VAL_PROC = 1;
export const PROC_CN_MCAST_LISTEN = 1;
export const PROC_CN_MCAST_IGNORE = 2;

const NLMSG_HDRLEN = 16;
const CN_MSG_LEN = 20;
const NLMSG_ERROR = 2;
const NLMSG_NOOP = 1;
const NLMSG_DONE = 3;

const PROC_EVENT_FORK = 0x1;
const PROC_EVENT_EXEC = 0x2;
const PROC_EVENT_EXIT = 0x80000000;

export type ProcEvent =
  | { what: 'fork'; monoNs: bigint; parentPid: number; parentTgid: number; childPid: number; childTgid: number }
  | { what: 'exec'; monoNs: bigint; pid: number; tgid: number }
  | { what: 'exit'; monoNs: bigint; pid: number; tgid: number; exitCode: number; exitSignal: number };

/** The subscribe / unsubscribe request the connector expects, for the socket bound to port `port`. */
export function mcastRequest(port: number, op: number = PROC_CN_MCAST_LISTEN): Buffer {
  const msg = Buffer.alloc(NLMSG_HDRLEN + CN_MSG_LEN + 4);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE(NLMSG_DONE, 4);
  msg.writeUInt32LE(port, 12);
  msg.writeUInt32LE(CN_IDX_PROC, 16);
  msg.writeUInt32LE(CN_VAL_PROC, 20);
  msg.writeUInt16LE(4, 32);
  msg.writeUInt32LE(op, 36);
  return msg;
}

/**
 * Every fork, exec and exit in one datagram (a datagram may hold several messages). Thread events (a clone that
 * shares the thread group, a thread's exit) are left out: processes are what the sensor reports. Truncated or
 * foreign messages are skipped; `malformed` counts them.
 */
export function decodeProcEvents(buf: Buffer, out: ProcEvent[] = []): { events: ProcEvent[]; malformed: number } {
  let malformed = 0;
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const len = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    if (len < NLMSG_HDRLEN || off + len > buf.length) {
      malformed++;
      break;
    }
    const body = off + NLMSG_HDRLEN;
    off += (len + 3) & ~3;
    if (type === NLMSG_ERROR || type === NLMSG_NOOP) continue;
    if (len < NLMSG_HDRLEN + CN_MSG_LEN + 16) {
      malformed++;
      continue;
    }
    if (buf.readUInt32LE(body) !== CN_IDX_PROC || buf.readUInt32LE(body + 4) !== CN_VAL_PROC) continue;
    const ev = body + CN_MSG_LEN;
    const dataLen = buf.readUInt16LE(body + 16);
    const end = Math.min(ev + dataLen, body + len - NLMSG_HDRLEN);
    const what = buf.readUInt32LE(ev);
    const monoNs = buf.readBigUInt64LE(ev + 8);
    const d = ev + 16;
    if (what === PROC_EVENT_FORK) {
      if (d + 16 > end) {
        malformed++;
        continue;
      }
      const childPid = buf.readInt32LE(d + 8);
      const childTgid = buf.readInt32LE(d + 12);
      if (childPid !== childTgid) continue; // a new thread
      out.push({ what: 'fork', monoNs, parentPid: buf.readInt32LE(d), parentTgid: buf.readInt32LE(d + 4), childPid, childTgid });
    } else if (what === PROC_EVENT_EXEC) {
      if (d + 8 > end) {
        malformed++;
        continue;
      }
      out.push({ what: 'exec', monoNs, pid: buf.readInt32LE(d), tgid: buf.readInt32LE(d + 4) });
    } else if (what === PROC_EVENT_EXIT) {
      if (d + 16 > end) {
        malformed++;
        continue;
      }
      const pid = buf.readInt32LE(d);
      const tgid = buf.readInt32LE(d + 4);
      if (pid !== tgid) continue; // a thread ended, not the process
      out.push({ what: 'exit', monoNs, pid, tgid, exitCode: buf.readUInt32LE(d + 8), exitSignal: buf.readUInt32LE(d + 12) });
    }
  }
  return { events: out, malformed };
}

/** Builds a connector datagram (tests and benchmarks feed the decoder with it). */
export function encodeProcEvent(e: ProcEvent): Buffer {
  const msg = Buffer.alloc(NLMSG_HDRLEN + CN_MSG_LEN + 16 + 24);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE(NLMSG_DONE, 4);
  msg.writeUInt32LE(CN_IDX_PROC, 16);
  msg.writeUInt32LE(CN_VAL_PROC, 20);
  msg.writeUInt16LE(16 + 24, 32);
  const ev = NLMSG_HDRLEN + CN_MSG_LEN;
  msg.writeBigUInt64LE(e.monoNs, ev + 8);
  const d = ev + 16;
  if (e.what === 'fork') {
    msg.writeUInt32LE(PROC_EVENT_FORK, ev);
    msg.writeInt32LE(e.parentPid, d);
    msg.writeInt32LE(e.parentTgid, d + 4);
    msg.writeInt32LE(e.childPid, d + 8);
    msg.writeInt32LE(e.childTgid, d + 12);
  } else if (e.what === 'exec') {
    msg.writeUInt32LE(PROC_EVENT_EXEC, ev);
    msg.writeInt32LE(e.pid, d);
    msg.writeInt32LE(e.tgid, d + 4);
  } else {
    msg.writeUInt32LE(PROC_EVENT_EXIT, ev);
    msg.writeInt32LE(e.pid, d);
    msg.writeInt32LE(e.tgid, d + 4);
    msg.writeUInt32LE(e.exitCode, d + 8);
    msg.writeUInt32LE(e.exitSignal, d + 12);
  }
  return msg;
}
