/**
 * OpenVEX (https://github.com/openvex/spec, v0.2.0; v0.0.x string forms accepted): statements that a product is
 * `not_affected` by a vulnerability suppress the matching findings, and the justification / impact statement is
 * kept so reports can show why. Statements are applied in document order (by `timestamp` when present); the
 * last one that applies to a (vulnerability, package) pair decides.
 *
 * A statement applies to a package when its vulnerability name (or one of its aliases) is one of the finding's
 * ids, and one of its products — or one of a product's subcomponents — is a purl naming the package
 * (type, namespace and name equal; version and qualifiers only checked when the statement gives them). A product
 * that is not a purl (an image reference or digest) applies when the caller lists it in `vexProducts`; it then
 * covers every package unless it has subcomponents.
 */
import { parsePurl } from './package.js';
import type { Package } from './package.js';

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexStatement {
  vulnerability: { name: string; aliases: string[] };
  products: { id: string; subcomponents: string[] }[];
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  timestamp?: string;
}

export interface VexDocument {
  id?: string;
  statements: VexStatement[];
}

export class VexParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VexParseError';
  }
}

const STATUSES: VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];

function idOf(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const id = o['@id'] ?? o.name ?? (o.identifiers as Record<string, unknown> | undefined)?.purl;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/** Parses an OpenVEX JSON document (already JSON-parsed). Throws VexParseError with the offending statement. */
export function parseOpenVex(doc: unknown): VexDocument {
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { statements?: unknown }).statements)) {
    throw new VexParseError('not an OpenVEX document: expected an object with a "statements" array');
  }
  const d = doc as { '@id'?: unknown; statements: unknown[]; timestamp?: unknown };
  const statements = d.statements.map((raw, i): VexStatement => {
    if (!raw || typeof raw !== 'object') throw new VexParseError(`statement ${i}: not an object`);
    const s = raw as Record<string, unknown>;
    const vulnRaw = s.vulnerability;
    // v0.2: { "@id": "https://nvd…/CVE-…", "name": "CVE-…", "aliases": [...] }; v0.0.x: a plain string
    const name = vulnRaw && typeof vulnRaw === 'object' && typeof (vulnRaw as { name?: unknown }).name === 'string' ? (vulnRaw as { name: string }).name : idOf(vulnRaw);
    if (!name) throw new VexParseError(`statement ${i}: missing vulnerability name`);
    const aliases =
      vulnRaw && typeof vulnRaw === 'object' && Array.isArray((vulnRaw as { aliases?: unknown }).aliases)
        ? ((vulnRaw as { aliases: unknown[] }).aliases.filter((a) => typeof a === 'string') as string[])
        : [];
    const status = s.status;
    if (typeof status !== 'string' || !STATUSES.includes(status as VexStatus)) {
      throw new VexParseError(`statement ${i}: unknown status ${JSON.stringify(status)}`);
    }
    const productsRaw = Array.isArray(s.products) ? s.products : [];
    const products = productsRaw
      .map((p) => {
        const id = idOf(p);
        const subs =
          p && typeof p === 'object' && Array.isArray((p as { subcomponents?: unknown }).subcomponents)
            ? ((p as { subcomponents: unknown[] }).subcomponents.map(idOf).filter((x) => x !== undefined) as string[])
            : [];
        return id ? { id, subcomponents: subs } : undefined;
      })
      .filter((p): p is { id: string; subcomponents: string[] } => p !== undefined);
    // OpenVEX v0.0.x: "subcomponents" at statement level
    if (Array.isArray(s.subcomponents)) {
      const subs = s.subcomponents.map(idOf).filter((x): x is string => x !== undefined);
      for (const p of products) p.subcomponents.push(...subs);
    }
    return {
      vulnerability: { name, aliases },
      products,
      status: status as VexStatus,
      justification: typeof s.justification === 'string' ? s.justification : undefined,
      impactStatement: typeof s.impact_statement === 'string' ? s.impact_statement : undefined,
      timestamp: typeof s.timestamp === 'string' ? s.timestamp : typeof d.timestamp === 'string' ? d.timestamp : undefined,
    };
  });
  return { id: typeof d['@id'] === 'string' ? d['@id'] : undefined, statements };
}

/** Does a VEX purl name this package? */
export function purlMatches(vexPurl: string, pkg: Package): boolean {
  if (!pkg.purl) return false;
  const a = parsePurl(vexPurl);
  const b = parsePurl(pkg.purl);
  if (!a || !b) return false;
  if (a.type !== b.type || (a.namespace ?? '') !== (b.namespace ?? '') || a.name !== b.name) return false;
  if (a.version !== undefined && a.version !== b.version) return false;
  return Object.entries(a.qualifiers).every(([k, v]) => b.qualifiers[k] === v);
}

function appliesToPackage(stmt: VexStatement, pkg: Package, products: ReadonlySet<string>): boolean {
  return stmt.products.some((p) => {
    if (p.id.startsWith('pkg:') && purlMatches(p.id, pkg)) return true;
    const productIsTarget = products.has(p.id) || (p.id.startsWith('pkg:oci/') && [...products].some((x) => x.startsWith('pkg:oci/') && purlOciSame(x, p.id)));
    if (!productIsTarget) return false;
    return p.subcomponents.length === 0 || p.subcomponents.some((s) => purlMatches(s, pkg));
  });
}

function purlOciSame(a: string, b: string): boolean {
  const pa = parsePurl(a);
  const pb = parsePurl(b);
  return !!pa && !!pb && pa.name === pb.name && (pa.version === undefined || pb.version === undefined || pa.version === pb.version);
}

export interface VexDecision {
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  document?: string;
}

/** The deciding statement for a finding (its ids) on a package, if any. */
export function vexDecision(docs: readonly VexDocument[], ids: readonly string[], pkg: Package, products: ReadonlySet<string>): VexDecision | undefined {
  const idSet = new Set(ids);
  const applicable = docs
    .flatMap((d) => d.statements.map((s, order) => ({ s, doc: d.id, order })))
    .filter(({ s }) => (idSet.has(s.vulnerability.name) || s.vulnerability.aliases.some((a) => idSet.has(a))) && appliesToPackage(s, pkg, products))
    .sort((x, y) => (x.s.timestamp ?? '').localeCompare(y.s.timestamp ?? '') || x.order - y.order);
  const last = applicable.at(-1);
  if (!last) return undefined;
  return { status: last.s.status, justification: last.s.justification, impactStatement: last.s.impactStatement, document: last.doc };
}
