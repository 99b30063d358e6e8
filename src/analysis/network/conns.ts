/**
 * Sets of connections: for each protocol (TCP, UDP, SCTP), a set of destination ports 1-65535 kept as sorted,
 * disjoint, merged intervals. Immutable.
 */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export type PortRange = readonly [number, number];

export function isProtocol(p: unknown): p is Protocol {
  return typeof p === 'string' && (PROTOCOLS as readonly string[]).includes(p);
}

function normalise(ranges: PortRange[]): PortRange[] {
  const sorted = ranges
    .map(([a, b]) => [Math.max(MIN_PORT, a), Math.min(MAX_PORT, b)] as const)
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersectRanges(x: readonly PortRange[], y: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i][0], y[j][0]);
    const hi = Math.min(x[i][1], y[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out;
}

function subtractRanges(x: readonly PortRange[], y: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  for (const [a0, b] of x) {
    let a = a0;
    for (const [c, d] of y) {
      if (d < a || c > b) continue;
      if (c > a) out.push([a, c - 1]);
      a = Math.max(a, d + 1);
      if (a > b) break;
    }
    if (a <= b) out.push([a, b]);
  }
  return out;
}

export class ConnSet {
  private constructor(private readonly byProto: Readonly<Record<Protocol, readonly PortRange[]>>) {}

  static readonly NONE = new ConnSet({ TCP: [], UDP: [], SCTP: [] });
  static readonly ALL = new ConnSet({ TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]], SCTP: [[MIN_PORT, MAX_PORT]] });

  static of(protocol: Protocol, ranges: PortRange[]): ConnSet {
    const byProto: Record<Protocol, readonly PortRange[]> = { TCP: [], UDP: [], SCTP: [] };
    byProto[protocol] = normalise(ranges);
    return new ConnSet(byProto);
  }

  static port(protocol: Protocol, port: number, endPort = port): ConnSet {
    return ConnSet.of(protocol, [[port, endPort]]);
  }

  static allOf(protocol: Protocol): ConnSet {
    return ConnSet.of(protocol, [[MIN_PORT, MAX_PORT]]);
  }

  ranges(protocol: Protocol): readonly PortRange[] {
    return this.byProto[protocol];
  }

  union(o: ConnSet): ConnSet {
    if (o === this || o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    const r = {} as Record<Protocol, readonly PortRange[]>;
    for (const p of PROTOCOLS) r[p] = normalise([...this.byProto[p], ...o.byProto[p]]);
    return new ConnSet(r);
  }

  intersect(o: ConnSet): ConnSet {
    if (o === this) return this;
    const r = {} as Record<Protocol, readonly PortRange[]>;
    for (const p of PROTOCOLS) r[p] = intersectRanges(this.byProto[p], o.byProto[p]);
    return new ConnSet(r);
  }

  subtract(o: ConnSet): ConnSet {
    const r = {} as Record<Protocol, readonly PortRange[]>;
    for (const p of PROTOCOLS) r[p] = subtractRanges(this.byProto[p], o.byProto[p]);
    return new ConnSet(r);
  }

  isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.byProto[p].length === 0);
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const r = this.byProto[p];
      return r.length === 1 && r[0][0] === MIN_PORT && r[0][1] === MAX_PORT;
    });
  }

  has(protocol: Protocol, port: number): boolean {
    return this.byProto[protocol].some(([a, b]) => a <= port && port <= b);
  }

  equals(o: ConnSet): boolean {
    return this.key() === o.key();
  }

  /** Canonical key: equal sets have equal keys. */
  key(): string {
    return PROTOCOLS.map((p) => `${p}:${this.byProto[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`).join(';');
  }

  /**
   * Human form, as np-guard's connlist prints it: `All Connections`, `No Connections`, or protocols in
   * alphabetical order with their ports, e.g. `TCP 8080-8081,UDP 53`.
   */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    return [...PROTOCOLS]
      .sort()
      .filter((p) => this.byProto[p].length > 0)
      .map((p) => `${p} ${this.byProto[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
      .join(',');
  }

  /** Parses the toString() form (np-guard's connlist connection text). */
  static parse(text: string): ConnSet {
    const t = text.trim();
    if (t === 'All Connections') return ConnSet.ALL;
    if (t === 'No Connections' || t === '') return ConnSet.NONE;
    let out = ConnSet.NONE;
    let proto: Protocol | undefined;
    for (const tok of t.split(',')) {
      let item = tok.trim();
      const m = /^(TCP|UDP|SCTP)(?:\s+(.*))?$/.exec(item);
      if (m) {
        proto = m[1] as Protocol;
        if (m[2] === undefined) {
          out = out.union(ConnSet.allOf(proto));
          continue;
        }
        item = m[2];
      }
      if (!proto) throw new Error(`cannot parse connections "${text}"`);
      const [a, b] = item.split('-').map(Number);
      if (!Number.isInteger(a)) throw new Error(`cannot parse connections "${text}"`);
      out = out.union(ConnSet.port(proto, a, Number.isInteger(b) ? b : a));
    }
    return out;
  }
}

/**
 * Interns connection sets as small integers with memoised union/intersection, so that dense matrices can
 * store one Uint32 per pair. Id 0 is the empty set, id 1 the full set.
 */
export class ConnTable {
  private readonly sets: ConnSet[] = [ConnSet.NONE, ConnSet.ALL];
  private readonly ids = new Map<string, number>([
    [ConnSet.NONE.key(), 0],
    [ConnSet.ALL.key(), 1],
  ]);
  private readonly unions = new Map<number, number>();
  private readonly inters = new Map<number, number>();

  static readonly NONE = 0;
  static readonly ALL = 1;

  id(s: ConnSet): number {
    const k = s.key();
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(s);
      this.ids.set(k, id);
    }
    return id;
  }

  get(id: number): ConnSet {
    return this.sets[id];
  }

  union(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    if (a === 1 || b === 1) return 1;
    const k = a < b ? a * 0x100000 + b : b * 0x100000 + a;
    let r = this.unions.get(k);
    if (r === undefined) {
      r = this.id(this.sets[a].union(this.sets[b]));
      this.unions.set(k, r);
    }
    return r;
  }

  intersect(a: number, b: number): number {
    if (a === b || b === 1) return a;
    if (a === 1) return b;
    if (a === 0 || b === 0) return 0;
    const k = a < b ? a * 0x100000 + b : b * 0x100000 + a;
    let r = this.inters.get(k);
    if (r === undefined) {
      r = this.id(this.sets[a].intersect(this.sets[b]));
      this.inters.set(k, r);
    }
    return r;
  }

  get size(): number {
    return this.sets.length;
  }
}
