/**
 * One line of `conntrack -E -o timestamp,id` (conntrack-tools), decoded. The original direction comes first:
 *
 *   [1700000000.123456]	    [NEW] tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 [UNREPLIED] src=… id=42
 *
 * The line holds only numbers, addresses and the kernel's names, never text a process chose, so nothing in it can
 * be forged by a workload. Pure.
 */

export type ConntrackType = 'NEW' | 'UPDATE' | 'DESTROY';

export interface ConntrackEvent {
  type: ConntrackType;
  /** Seconds since the epoch with microseconds, as conntrack stamped it. */
  time: number;
  /** tcp, udp, sctp, icmp, icmpv6, … as conntrack names it. */
  proto: string;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** TCP state when the protocol has one (SYN_SENT, ESTABLISHED, …). */
  state?: string;
  id?: number;
}

const TYPES = new Set(['NEW', 'UPDATE', 'DESTROY']);

export function parseConntrackLine(line: string): ConntrackEvent | undefined {
  let i = 0;
  let time = NaN;
  if (line.charCodeAt(0) === 0x5b /* [ */) {
    const end = line.indexOf(']');
    if (end < 0) return undefined;
    time = Number(line.slice(1, end));
    i = end + 1;
  }
  const open = line.indexOf('[', i);
  const close = open < 0 ? -1 : line.indexOf(']', open);
  if (close < 0) return undefined;
  const type = line.slice(open + 1, close);
  if (!TYPES.has(type)) return undefined;
  const fields = line.slice(close + 1).trim().split(/\s+/);
  const proto = fields[0];
  if (!proto) return undefined;
  const ev: Partial<ConntrackEvent> & { type: ConntrackType; time: number; proto: string } = { type: type as ConntrackType, time, proto };
  // original direction: the first src/dst/sport/dport; the reply tuple repeats the keys and is skipped
  for (let k = 1; k < fields.length; k++) {
    const f = fields[k];
    const eq = f.indexOf('=');
    if (eq < 0) {
      if (ev.state === undefined && ev.src === undefined && /^[A-Z_]+$/.test(f)) ev.state = f;
      continue;
    }
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    if (key === 'src') {
      if (ev.src === undefined) ev.src = value;
    } else if (key === 'dst') {
      if (ev.dst === undefined) ev.dst = value;
    } else if (key === 'sport') {
      ev.sport ??= Number(value);
    } else if (key === 'dport') {
      ev.dport ??= Number(value);
    } else if (key === 'id') {
      ev.id = Number(value);
    }
  }
  if (ev.src === undefined || ev.dst === undefined) return undefined;
  return ev as ConntrackEvent;
}

/** conntrack's own words when the kernel dropped events for its socket. */
export function isOverflowWarning(line: string): boolean {
  return line.includes('We have hit ENOBUFS');
}
