/**
 * Address sets for runtime detection: the cluster's own networks (what is not "external"), the API server's
 * addresses. Parsing is the network analysis' (one home for IP semantics); answers are cached per address, bounded.
 */
import { contains, parseCidr, parseIp, type IpInterval } from '../network/ip.js';
import { BoundedMap } from '../../core/bounded-map.js';

/**
 * Private and special ranges that are never "the internet" (RFC 1918, RFC 6598 shared space, loopback, link-local,
 * IPv6 ULA and link-local). A cluster whose pods or nodes use public ranges adds them in config.
 */
export const DEFAULT_CLUSTER_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];

export class AddressSet {
  private readonly intervals: IpInterval[];
  private readonly cache = new BoundedMap<string, boolean>(65_536);

  constructor(cidrs: readonly string[]) {
    this.intervals = cidrs.map((c) => parseCidr(c.includes('/') ? c : c.includes(':') ? `${c}/128` : `${c}/32`));
  }

  has(ip: string): boolean {
    const hit = this.cache.peek(ip);
    if (hit !== undefined) return hit;
    let answer = false;
    try {
      const { family, value } = parseIp(ip);
      answer = this.intervals.some((r) => contains(r, family, value));
    } catch {
      answer = false;
    }
    this.cache.set(ip, answer);
    return answer;
  }
}

/** Whether a string is an IP address (v4 or v6). */
export function isIpAddress(s: string): boolean {
  try {
    parseIp(s);
    return true;
  } catch {
    return false;
  }
}
