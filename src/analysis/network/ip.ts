/**
 * IPv4 / IPv6 addresses and CIDR blocks as integer intervals, for NetworkPolicy ipBlock peers
 * (`cidr` minus every `except` CIDR; see the NetworkPolicy API reference, IPBlock).
 */

export type IpFamily = 4 | 6;

export interface IpInterval {
  family: IpFamily;
  start: bigint;
  end: bigint;
}

export class IpParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpParseError';
  }
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  // embedded IPv4 suffix (::ffff:1.2.3.4) becomes two hex groups
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  const total = head.length + rest.length;
  if (halves.length === 1 && total !== 8) return undefined;
  if (halves.length === 2 && total > 7) return undefined;
  const groups = [...head, ...new Array<bigint>(8 - total).fill(0n), ...rest];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses a single address. */
export function parseIp(s: string): { family: IpFamily; value: bigint } {
  const t = s.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = t.includes(':') ? parseV6(t) : undefined;
  if (v6 !== undefined) return { family: 6, value: v6 };
  throw new IpParseError(`not an IP address: ${s}`);
}

/** Parses `addr/prefix` into the interval it covers (host bits are ignored, as Kubernetes' validation warns about). */
export function parseCidr(s: string): IpInterval {
  const [addr, prefixText, extra] = s.trim().split('/');
  if (extra !== undefined || prefixText === undefined || !/^\d+$/.test(prefixText)) throw new IpParseError(`not a CIDR: ${s}`);
  const { family, value } = parseIp(addr);
  const bits = family === 4 ? 32n : 128n;
  const prefix = BigInt(prefixText);
  if (prefix > bits) throw new IpParseError(`prefix too long in ${s}`);
  const hostBits = bits - prefix;
  const start = (value >> hostBits) << hostBits;
  const end = start + (1n << hostBits) - 1n;
  return { family, start, end };
}

export function maxOf(family: IpFamily): bigint {
  return family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
}

export function formatIp(family: IpFamily, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  // compress the longest run of zero groups
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

export function formatInterval(r: IpInterval): string {
  return `${formatIp(r.family, r.start)}-${formatIp(r.family, r.end)}`;
}

export function contains(r: IpInterval, family: IpFamily, v: bigint): boolean {
  return r.family === family && r.start <= v && v <= r.end;
}

/** An ipBlock: the cidr interval minus the except intervals. */
export interface IpBlockSet {
  cidr: IpInterval;
  except: IpInterval[];
  text: { cidr: string; except: string[] };
}

export function parseIpBlock(cidr: string, except: string[] = []): IpBlockSet {
  const c = parseCidr(cidr);
  const ex = except.map(parseCidr);
  for (const [i, e] of ex.entries()) {
    if (e.family !== c.family || e.start < c.start || e.end > c.end) {
      throw new IpParseError(`except ${except[i]} is not inside ${cidr}`);
    }
  }
  return { cidr: c, except: ex, text: { cidr, except } };
}

export function blockContains(b: IpBlockSet, family: IpFamily, v: bigint): boolean {
  if (!contains(b.cidr, family, v)) return false;
  return !b.except.some((e) => contains(e, family, v));
}

/** Whether the block contains every address of [start, end] (used on elementary intervals). */
export function blockCoversInterval(b: IpBlockSet, r: IpInterval): boolean {
  return blockContains(b, r.family, r.start) && blockContains(b, r.family, r.end) &&
    !b.except.some((e) => e.family === r.family && e.start <= r.end && e.end >= r.start);
}

/**
 * Cuts the whole address space of each family at every boundary of the given blocks: inside each resulting
 * interval, every block either contains all addresses or none. Families never mentioned stay one interval.
 */
export function elementaryIntervals(blocks: IpBlockSet[]): IpInterval[] {
  const out: IpInterval[] = [];
  for (const family of [4, 6] as IpFamily[]) {
    const cuts = new Set<bigint>([0n]);
    for (const b of blocks) {
      for (const r of [b.cidr, ...b.except]) {
        if (r.family !== family) continue;
        cuts.add(r.start);
        if (r.end < maxOf(family)) cuts.add(r.end + 1n);
      }
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.forEach((s, i) => out.push({ family, start: s, end: i + 1 < sorted.length ? sorted[i + 1] - 1n : maxOf(family) }));
  }
  return out;
}

/** Whether the block admits addresses outside the private/special ranges (i.e. the public internet). */
export function admitsInternet(b: IpBlockSet): boolean {
  // A sample of well-known public addresses; an ipBlock that contains any of them reaches the internet.
  const probes = b.cidr.family === 4 ? ['8.8.8.8', '1.1.1.1', '52.0.0.1', '104.16.0.1', '200.1.1.1', '34.1.1.1'] : ['2001:4860:4860::8888', '2606:4700::1111'];
  return probes.some((p) => {
    const { family, value } = parseIp(p);
    return blockContains(b, family, value);
  });
}

/**
 * Go's netip.ParseAddr, strictly: IPv4 octets without leading zeros, IPv6 with an optional embedded IPv4
 * tail and an optional zone (returned, not interpreted). Used where Kubernetes parses with netip (the CEL
 * ip()/cidr() library); the lenient parseIp above stays for NetworkPolicy ipBlocks.
 */
export function parseAddrStrict(s: string): { family: IpFamily; value: bigint; zone: string; v4InV6: boolean } {
  const bad = (): never => {
    throw new IpParseError('not a valid IP address');
  };
  if (s.length === 0 || s.length > 64) bad();
  const v4 = (t: string): bigint | undefined => {
    const parts = t.split('.');
    if (parts.length !== 4) return undefined;
    let v = 0n;
    for (const p of parts) {
      if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
      v = (v << 8n) | BigInt(p);
    }
    return v;
  };
  if (!s.includes(':')) {
    const v = v4(s);
    return v === undefined ? bad() : { family: 4, value: v, zone: '', v4InV6: false };
  }
  let text = s;
  let zone = '';
  const pct = text.indexOf('%');
  if (pct >= 0) {
    zone = text.slice(pct + 1);
    if (zone === '') bad();
    text = text.slice(0, pct);
  }
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const tail = v4(text.slice(lastColon + 1));
    if (tail === undefined) bad();
    text = `${text.slice(0, lastColon + 1)}${((tail! >> 16n) & 0xffffn).toString(16)}:${(tail! & 0xffffn).toString(16)}`;
  }
  const v = parseV6(text);
  if (v === undefined) bad();
  return { family: 6, value: v!, zone, v4InV6: v! >> 32n === 0xffffn };
}
