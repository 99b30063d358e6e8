/**
 * Kubernetes' IP and CIDR CEL libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go; Kubernetes ≥ 1.30):
 * netip semantics — no zones, no IPv4-mapped IPv6 addresses, canonical forms per RFC 5952.
 * Errors never repeat the string that failed to parse.
 */
import { CelEvalError } from '../errors.js';
import { libraryType, type CelObject, type Value } from '../values.js';
import { fn, method, overloadError, traversal, type Table } from '../std/define.js';
import { formatIp, IpParseError, parseAddrStrict, type IpFamily } from '../../network/ip.js';

const IP_TYPE = libraryType('net.IP');
const CIDR_TYPE = libraryType('net.CIDR');

export class CelIP implements CelObject {
  readonly celType = IP_TYPE;
  constructor(
    readonly family: IpFamily,
    readonly value: bigint,
  ) {}
  celEquals(o: CelObject): boolean {
    return o instanceof CelIP && o.family === this.family && o.value === this.value;
  }
  toString(): string {
    return formatIp(this.family, this.value);
  }
  celString(): string {
    return this.toString();
  }
}

export class CelCIDR implements CelObject {
  readonly celType = CIDR_TYPE;
  constructor(
    readonly ip: CelIP,
    readonly bits: number,
  ) {}
  celEquals(o: CelObject): boolean {
    return o instanceof CelCIDR && o.bits === this.bits && this.ip.celEquals(o.ip);
  }
  get width(): number {
    return this.ip.family === 4 ? 32 : 128;
  }
  masked(): CelCIDR {
    const host = BigInt(this.width - this.bits);
    return new CelCIDR(new CelIP(this.ip.family, (this.ip.value >> host) << host), this.bits);
  }
  contains(ip: CelIP): boolean {
    if (ip.family !== this.ip.family) return false;
    const host = BigInt(this.width - this.bits);
    return ip.value >> host === this.ip.value >> host;
  }
  toString(): string {
    return `${this.ip}/${this.bits}`;
  }
  celString(): string {
    return this.toString();
  }
}

export function parseIP(s: string): CelIP {
  let a: ReturnType<typeof parseAddrStrict>;
  try {
    a = parseAddrStrict(s);
  } catch (e) {
    if (e instanceof IpParseError) throw new CelEvalError('IP Address parse error during conversion from string');
    throw e;
  }
  if (a.zone) throw new CelEvalError('IP address with zone value is not allowed');
  if (a.v4InV6) throw new CelEvalError('IPv4-mapped IPv6 address is not allowed');
  return new CelIP(a.family, a.value);
}

export function parseCIDR(s: string): CelCIDR {
  const slash = s.lastIndexOf('/');
  const bad = new CelEvalError('network address parse error during conversion from string');
  if (slash < 0) throw bad;
  const bitsText = s.slice(slash + 1);
  const addrText = s.slice(0, slash);
  if (addrText.includes('%')) throw bad;
  let ip: CelIP;
  try {
    ip = parseIP(addrText);
  } catch (e) {
    if (e instanceof CelEvalError && /IPv4-mapped/.test(e.message)) throw new CelEvalError('IPv4-mapped IPv6 address is not allowed');
    throw bad;
  }
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bitsText)) throw bad;
  const bits = Number(bitsText);
  if (bits > (ip.family === 4 ? 32 : 128)) throw bad;
  return new CelCIDR(ip, bits);
}

function isMulticast(ip: CelIP): boolean {
  return ip.family === 4 ? ip.value >> 28n === 0xen : ip.value >> 120n === 0xffn;
}

export function registerNet(t: Table): void {
  const str = (name: string, a: Value[]): string => (typeof a[0] === 'string' ? a[0] : overloadError(name, a));
  const ip = (name: string, a: Value[]): CelIP => (a[0] instanceof CelIP ? a[0] : overloadError(name, a));
  const cidr = (name: string, a: Value[]): CelCIDR => (a[0] instanceof CelCIDR ? a[0] : overloadError(name, a));
  const c1 = ([s]: Value[]): number => traversal(s);

  fn(t, 'ip', 1, (a) => (a[0] instanceof CelCIDR ? a[0].ip : parseIP(str('ip', a))), (a) => (a[0] instanceof CelCIDR ? 1 : c1(a)));
  method(t, 'ip', 0, (a) => cidr('ip', a).ip);
  fn(t, 'isIP', 1, (a) => {
    try {
      parseIP(str('isIP', a));
      return true;
    } catch (e) {
      if (e instanceof CelEvalError && !/no such overload/.test(e.message)) return false;
      throw e;
    }
  }, c1);
  fn(t, 'ip.isCanonical', 1, (a) => parseIP(str('ip.isCanonical', a)).toString() === a[0], ([s]) => Math.ceil(traversal(s) * 2));
  method(t, 'family', 0, (a) => BigInt(ip('family', a).family));
  method(t, 'isUnspecified', 0, (a) => ip('isUnspecified', a).value === 0n);
  method(t, 'isLoopback', 0, (a) => {
    const x = ip('isLoopback', a);
    return x.family === 4 ? x.value >> 24n === 127n : x.value === 1n;
  });
  method(t, 'isLinkLocalMulticast', 0, (a) => {
    const x = ip('isLinkLocalMulticast', a);
    return x.family === 4 ? x.value >> 8n === 0xe00000n : ((x.value >> 112n) & 0xff0fn) === 0xff02n;
  });
  method(t, 'isLinkLocalUnicast', 0, (a) => {
    const x = ip('isLinkLocalUnicast', a);
    return x.family === 4 ? x.value >> 16n === 0xa9fen : x.value >> 118n === 0x3fan;
  });
  method(t, 'isGlobalUnicast', 0, (a) => {
    const x = ip('isGlobalUnicast', a);
    if (x.value === 0n) return false;
    if (x.family === 4 && (x.value === 0xffffffffn || x.value >> 24n === 127n || x.value >> 16n === 0xa9fen)) return false;
    if (x.family === 6 && (x.value === 1n || x.value >> 118n === 0x3fan)) return false;
    return !isMulticast(x);
  });

  fn(t, 'cidr', 1, (a) => parseCIDR(str('cidr', a)), c1);
  fn(t, 'isCIDR', 1, (a) => {
    try {
      parseCIDR(str('isCIDR', a));
      return true;
    } catch (e) {
      if (e instanceof CelEvalError && !/no such overload/.test(e.message)) return false;
      throw e;
    }
  }, c1);
  method(t, 'masked', 0, (a) => cidr('masked', a).masked());
  method(t, 'prefixLength', 0, (a) => BigInt(cidr('prefixLength', a).bits));
  method(t, 'containsIP', 1, (a) => {
    const c = cidr('containsIP', a);
    const other = a[1] instanceof CelIP ? a[1] : typeof a[1] === 'string' ? parseIP(a[1]) : overloadError('containsIP', a);
    return c.contains(other);
  }, ([c, o]) => Math.ceil(traversal(c) * 2) + (typeof o === 'string' ? traversal(o) : 0));
  method(t, 'containsCIDR', 1, (a) => {
    const c = cidr('containsCIDR', a);
    const o = a[1] instanceof CelCIDR ? a[1] : typeof a[1] === 'string' ? parseCIDR(a[1]) : overloadError('containsCIDR', a);
    return o.ip.family === c.ip.family && c.bits <= o.bits && c.contains(o.masked().ip);
  }, ([c, o]) => Math.ceil(traversal(c) * 3) + 1 + (typeof o === 'string' ? traversal(o) : 0));
}
