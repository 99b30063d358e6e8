/**
 * Listening TCP sockets of a network namespace, from /proc/PID/net/tcp and tcp6 (read through any process in that
 * namespace). @stroncium/procfs parses these files but drops the two columns this needs (st, the socket state,
 * and inode), so the lines are read here. Format (net/ipv4/tcp_ipv4.c get_tcp4_sock):
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
 * with addresses as hex in host byte order (IPv4: one little-endian u32; IPv6: four of them). Pure parsing below;
 * the reader at the end does the I/O.
 */
import { readFileSync } from 'node:fs';
import { formatIp } from '../../analysis/network/ip.js';

export interface ListeningSocket {
  ip: string;
  port: number;
  /** Socket inode: /proc/PID/fd/N links to `socket:[inode]`. */
  inode: number;
}

const TCP_LISTEN = '0A';

function hexToIpv4(hex: string): string {
  const n = parseInt(hex, 16) >>> 0;
  return `${n & 0xff}.${(n >>> 8) & 0xff}.${(n >>> 16) & 0xff}.${n >>> 24}`;
}

function hexToIpv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  // the longest run of zero groups becomes "::" (RFC 5952), as everywhere else an address is shown
  return formatIp(6, bytes.reduce((v, b) => (v << 8n) | BigInt(b), 0n));
}

/** The listening sockets in the text of /proc/net/tcp (`v6` false) or tcp6 (`v6` true). */
export function parseListening(text: string, v6: boolean): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
    const colon = f[1].indexOf(':');
    if (colon < 0) continue;
    const addr = f[1].slice(0, colon);
    out.push({ ip: v6 ? hexToIpv6(addr) : hexToIpv4(addr), port: parseInt(f[1].slice(colon + 1), 16), inode: Number(f[9]) });
  }
  return out;
}

/** The listening sockets of the network namespace `pid` is in (both families); empty when it is gone. */
export function readListening(pid: number, procRoot = '/proc'): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const [file, v6] of [['tcp', false], ['tcp6', true]] as const) {
    try {
      out.push(...parseListening(readFileSync(`${procRoot}/${pid}/net/${file}`, 'utf8'), v6));
    } catch {
      /* no IPv6 in this kernel, or the process is gone */
    }
  }
  return out;
}
