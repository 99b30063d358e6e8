/**
 * Kubernetes' URL CEL library (k8s.io/apiserver/pkg/cel/library/urls.go): `url(s)` accepts what Go's
 * url.ParseRequestURI accepts (an absolute URI or an absolute path), then parses as url.Parse does.
 * Errors name the problem, not the URL.
 */
import { CelEvalError } from '../errors.js';
import { CelMap, libraryType, type CelObject, type Value } from '../values.js';
import { fn, method, overloadError, traversal, type Table } from '../std/define.js';

const URL_TYPE = libraryType('kubernetes.URL');

export interface GoUrl {
  scheme: string;
  opaque: string;
  /** userinfo@host:port as written */
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  fragment: string;
}

class UrlError extends Error {}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function unescape(s: string, mode: 'path' | 'query'): string {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) throw new UrlError('invalid URL escape');
  const t = mode === 'query' ? s.replace(/\+/g, ' ') : s;
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '%') {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...new TextEncoder().encode(t[i]));
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/** Go's shouldEscape(c, encodePath): unreserved and $&+,/:;=@ stay. */
function escapePath(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function parseHost(host: string): void {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) throw new UrlError("missing ']' in host");
    const port = host.slice(end + 1);
    if (port && !/^:[0-9]*$/.test(port)) throw new UrlError('invalid port after host');
    return;
  }
  const i = host.lastIndexOf(':');
  if (i >= 0 && !/^:[0-9]*$/.test(host.slice(i))) throw new UrlError('invalid port after host');
  if (host.includes(' ')) throw new UrlError('invalid character in host name');
}

function parse(raw: string, viaRequest: boolean): GoUrl {
  if (hasControl(raw)) throw new UrlError('invalid control character in URL');
  const u: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '', fragment: '' };
  let rest = raw;
  if (!viaRequest) {
    const h = rest.indexOf('#');
    if (h >= 0) {
      u.fragment = unescape(rest.slice(h + 1), 'path');
      rest = rest.slice(0, h);
    }
  }
  if (rest === '' && viaRequest) throw new UrlError('empty url');
  if (rest === '*') {
    u.path = '*';
    return u;
  }
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm) {
    u.scheme = sm[1].toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (rest.startsWith(':')) throw new UrlError('missing protocol scheme');
  const q = rest.indexOf('?');
  if (q >= 0) {
    u.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (u.scheme) {
      u.opaque = rest;
      return u;
    }
    if (viaRequest) throw new UrlError('invalid URI for request');
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme || !viaRequest) && rest.startsWith('//') && !(!u.scheme && rest.startsWith('///'))) {
    const body = rest.slice(2);
    const slash = body.indexOf('/');
    const authority = slash < 0 ? body : body.slice(0, slash);
    rest = slash < 0 ? '' : body.slice(slash);
    const at = authority.lastIndexOf('@');
    const host = at < 0 ? authority : authority.slice(at + 1);
    parseHost(host);
    u.host = authority;
  }
  u.path = unescape(rest, 'path');
  u.rawPath = escapePath(u.path) === rest ? '' : rest;
  return u;
}

/** url.ParseRequestURI then url.Parse, as the library does. */
export function parseRequestURI(raw: string): GoUrl {
  try {
    parse(raw, true);
    return parse(raw, false);
  } catch (e) {
    if (e instanceof UrlError) throw new CelEvalError(`URL parse error during conversion from string: ${e.message}`);
    throw e;
  }
}

export class CelURL implements CelObject {
  readonly celType = URL_TYPE;
  constructor(readonly u: GoUrl) {}
  celEquals(o: CelObject): boolean {
    return o instanceof CelURL && JSON.stringify(o.u) === JSON.stringify(this.u);
  }
  get hostOnly(): string {
    const h = this.u.host.slice(this.u.host.lastIndexOf('@') + 1);
    return h;
  }
  hostname(): string {
    const h = this.hostOnly;
    if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
    const i = h.lastIndexOf(':');
    return i >= 0 ? h.slice(0, i) : h;
  }
  port(): string {
    const h = this.hostOnly;
    const i = h.lastIndexOf(':');
    if (i < 0 || (h.startsWith('[') && i < h.indexOf(']'))) return '';
    return h.slice(i + 1);
  }
  escapedPath(): string {
    const { rawPath, path } = this.u;
    if (rawPath && /^[A-Za-z0-9\-_.~$&+,/:;=@!'()*%[\]]*$/.test(rawPath)) {
      try {
        if (unescape(rawPath, 'path') === path) return rawPath;
      } catch {
        // fall through to escaping the path
      }
    }
    return path === '*' ? '*' : escapePath(path);
  }
  query(): CelMap {
    const m = new CelMap();
    for (const part of this.u.rawQuery.split('&')) {
      if (!part || part.includes(';')) continue;
      const eq = part.indexOf('=');
      let k: string;
      let v: string;
      try {
        k = unescape(eq < 0 ? part : part.slice(0, eq), 'query');
        v = unescape(eq < 0 ? '' : part.slice(eq + 1), 'query');
      } catch {
        continue;
      }
      const key = CelMap.keyOf(k)!;
      const hit = m.entries.get(key);
      if (hit) (hit[1] as string[]).push(v);
      else m.entries.set(key, [k, [v]]);
    }
    return m;
  }
}

export function registerUrl(t: Table): void {
  const c1 = ([s]: Value[]): number => traversal(s);
  fn(t, 'url', 1, (a) => (typeof a[0] === 'string' ? new CelURL(parseRequestURI(a[0])) : overloadError('url', a)), c1);
  fn(t, 'isURL', 1, (a) => {
    if (typeof a[0] !== 'string') return overloadError('isURL', a);
    try {
      parse(a[0], true);
      return true;
    } catch {
      return false;
    }
  }, c1);
  const u = (name: string, a: Value[]): CelURL => (a[0] instanceof CelURL ? a[0] : overloadError(name, a));
  method(t, 'getScheme', 0, (a) => u('getScheme', a).u.scheme);
  method(t, 'getHost', 0, (a) => u('getHost', a).hostOnly);
  method(t, 'getHostname', 0, (a) => u('getHostname', a).hostname());
  method(t, 'getPort', 0, (a) => u('getPort', a).port());
  method(t, 'getEscapedPath', 0, (a) => u('getEscapedPath', a).escapedPath());
  method(t, 'getQuery', 0, (a) => u('getQuery', a).query());
}
