/**
 * Reading an upload body (see format.ts) from a byte stream, bounded: lines of at most 1 MiB, at most
 * `maxRecords` records, every field checked for type and length. Errors name the line, never the values (a
 * hostile or broken client must not get its input echoed, nor fill the server's memory).
 */
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { KubeguardError } from '../../core/errors.js';
import type { ComplianceRefs, Finding, JsonPatchOp, ResourceRef, Severity, SourceLocation } from '../../core/model.js';
import { isSeverity } from '../../core/model.js';
import type { AccountPower, Held, InventoryRecord, NetClassMember, SuppressedFinding, UploadEnd, UploadHeader, UploadRecord } from './format.js';
import { isProtocol } from '../../analysis/network/conns.js';
import type { AttackNode } from '../../analysis/paths/model.js';
import { INVENTORY_KEYS, UPLOAD_FORMAT } from './format.js';

export class UploadError extends KubeguardError {}

export interface ReadLimits {
  maxLineBytes: number;
  maxRecords: number;
  /** Most bytes after decompression. */
  maxBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxLineBytes: 1 << 20, maxRecords: 20_000_000, maxBytes: 8 * 1024 ** 3 };

const NAME_MAX = 253;
const TEXT_MAX = 4096;

/** Splits a byte stream into lines (without their newline), refusing a line longer than `max` bytes. */
export async function* lines(stream: AsyncIterable<Buffer>, limits: ReadLimits): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limits.maxBytes) throw new UploadError(`upload exceeds ${limits.maxBytes} bytes`);
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      if (pendingLength + part.length > limits.maxLineBytes) throw new UploadError(`a line exceeds ${limits.maxLineBytes} bytes`);
      if (pendingLength) {
        pending.push(part);
        yield Buffer.concat(pending, pendingLength + part.length).toString('utf8');
        pending = [];
        pendingLength = 0;
      } else yield part.toString('utf8');
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (pendingLength + rest.length > limits.maxLineBytes) throw new UploadError(`a line exceeds ${limits.maxLineBytes} bytes`);
    if (rest.length) {
      pending.push(rest);
      pendingLength += rest.length;
    }
  }
  if (pendingLength) yield Buffer.concat(pending, pendingLength).toString('utf8');
}

function str(v: unknown, max: number, what: string, line: number, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length > max) throw new UploadError(`line ${line}: ${what} must be a string of at most ${max} characters`);
  return v;
}

function ref(v: unknown, line: number, what = 'resource'): ResourceRef {
  if (v === null || typeof v !== 'object') throw new UploadError(`line ${line}: ${what} must be an object`);
  const o = v as Record<string, unknown>;
  const namespace = str(o.namespace, NAME_MAX, `${what}.namespace`, line, true);
  return {
    apiVersion: str(o.apiVersion, NAME_MAX, `${what}.apiVersion`, line)!,
    kind: str(o.kind, NAME_MAX, `${what}.kind`, line)!,
    ...(namespace !== undefined && namespace !== '' && { namespace }),
    name: str(o.name, TEXT_MAX, `${what}.name`, line)!,
  };
}

function finding(v: unknown, line: number): Finding {
  if (v === null || typeof v !== 'object') throw new UploadError(`line ${line}: finding must be an object`);
  const o = v as Record<string, unknown>;
  if (!isSeverity(o.severity)) throw new UploadError(`line ${line}: finding.severity must be one of info, low, medium, high, critical`);
  return {
    ruleId: str(o.ruleId, NAME_MAX, 'finding.ruleId', line)!,
    severity: o.severity as Severity,
    message: str(o.message, TEXT_MAX * 4, 'finding.message', line)!,
    resource: ref(o.resource, line, 'finding.resource'),
    path: str(o.path, TEXT_MAX, 'finding.path', line)!,
    ...details(o, line),
  };
}

const PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const MAX_PATCH_CHARS = 16 * 1024;

function location(v: unknown, line: number, what: string): SourceLocation | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object') throw new UploadError(`line ${line}: ${what} must be an object`);
  const o = v as Record<string, unknown>;
  if (o.line !== undefined && (!Number.isInteger(o.line) || (o.line as number) < 0)) throw new UploadError(`line ${line}: ${what}.line must be a whole number`);
  return { file: str(o.file, TEXT_MAX, `${what}.file`, line)!, ...(o.line !== undefined && { line: o.line as number }) };
}

/** What people read of a finding (kept by the server for the dashboard): checked for type and size like the rest. */
function details(o: Record<string, unknown>, line: number): Partial<Finding> {
  const out: Partial<Finding> = {};
  const loc = location(o.location, line, 'finding.location');
  if (loc) out.location = loc;
  const remediation = str(o.remediation, TEXT_MAX * 4, 'finding.remediation', line, true);
  if (remediation) out.remediation = remediation;
  const evidence = str(o.evidence, TEXT_MAX, 'finding.evidence', line, true);
  if (evidence) out.evidence = evidence;
  const note = str(o.namespaceNote, TEXT_MAX, 'finding.namespaceNote', line, true);
  if (note) out.namespaceNote = note;
  if (o.fix !== undefined) {
    if (!Array.isArray(o.fix) || o.fix.length > 100 || JSON.stringify(o.fix).length > MAX_PATCH_CHARS) throw new UploadError(`line ${line}: finding.fix must be a JSON patch of at most 100 operations and ${MAX_PATCH_CHARS} characters`);
    out.fix = o.fix.map((op: unknown, i) => {
      const p = (op ?? {}) as Record<string, unknown>;
      if (typeof p.op !== 'string' || !PATCH_OPS.has(p.op)) throw new UploadError(`line ${line}: finding.fix[${i}].op must be a JSON patch operation`);
      const from = str(p.from, TEXT_MAX, `finding.fix[${i}].from`, line, true);
      return { op: p.op as JsonPatchOp['op'], path: str(p.path, TEXT_MAX, `finding.fix[${i}].path`, line)!, ...('value' in p && { value: p.value }), ...(from !== undefined && { from }) };
    });
  }
  if (o.compliance !== undefined) {
    const c = o.compliance as Record<string, unknown>;
    if (c === null || typeof c !== 'object' || Array.isArray(c) || Object.keys(c).length > 20) throw new UploadError(`line ${line}: finding.compliance must be an object of at most 20 standards`);
    const refs: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(c)) {
      if (k.length > 40 || !Array.isArray(v) || v.length > 100 || v.some((x) => typeof x !== 'string' || x.length > 100)) throw new UploadError(`line ${line}: finding.compliance holds a list that is not short strings`);
      refs[k] = v as string[];
    }
    out.compliance = refs as ComplianceRefs;
  }
  if (o.related !== undefined) {
    if (!Array.isArray(o.related) || o.related.length > 1000) throw new UploadError(`line ${line}: finding.related must be a list of at most 1000 findings`);
    out.related = o.related.slice(0, 50).map((r: unknown) => {
      const f = (r ?? {}) as Record<string, unknown>;
      if (!isSeverity(f.severity)) throw new UploadError(`line ${line}: finding.related[].severity must be a severity`);
      const loc = location(f.location, line, 'finding.related[].location');
      return { ruleId: str(f.ruleId, NAME_MAX, 'finding.related[].ruleId', line)!, severity: f.severity, message: str(f.message, TEXT_MAX * 4, 'finding.related[].message', line)!, resource: ref(f.resource, line, 'finding.related[].resource'), path: str(f.path, TEXT_MAX, 'finding.related[].path', line)!, ...(loc && { location: loc }) };
    });
  }
  return out;
}

function held(v: unknown, line: number): Held {
  if (v === null || typeof v !== 'object') throw new UploadError(`line ${line}: held must be an object`);
  const o = v as Record<string, unknown>;
  const ruleId = str(o.ruleId, NAME_MAX, 'held.ruleId', line, true);
  return { ...(ruleId !== undefined && { ruleId }), ...(o.resource !== undefined && { resource: ref(o.resource, line, 'held.resource') }) };
}

function suppressed(v: unknown, line: number): SuppressedFinding {
  const f = finding({ ...(v as object), message: '' }, line);
  const o = v as Record<string, unknown>;
  if (o.source !== 'config' && o.source !== 'annotation' && o.source !== 'vex' && o.source !== 'tool') throw new UploadError(`line ${line}: suppressed.source must be config, annotation, vex or tool`);
  return { ruleId: f.ruleId, severity: f.severity, resource: f.resource, path: f.path, reason: str(o.reason, TEXT_MAX, 'suppressed.reason', line)!, source: o.source };
}

const obj = (v: unknown, line: number, what: string): Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UploadError(`line ${line}: ${what} must be an object`);
  return v as Record<string, unknown>;
};
const int = (v: unknown, line: number, what: string): number => {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 10_000_000) throw new UploadError(`line ${line}: ${what} must be a whole number`);
  return v as number;
};
/** An attack path or cut record: an object whose JSON is bounded (the server keeps it as JSON). */
const MAX_PATH_CHARS = 64 * 1024;

const MAX_LABELS = 256;

/** A label map: at most MAX_LABELS string values. */
function labels(v: unknown, line: number, what: string): Record<string, string> {
  const o = obj(v, line, what);
  const entries = Object.entries(o);
  if (entries.length > MAX_LABELS) throw new UploadError(`line ${line}: ${what} has more than ${MAX_LABELS} entries`);
  return Object.fromEntries(entries.map(([k, x]) => [str(k, NAME_MAX + 64, `${what} key`, line)!, str(x, TEXT_MAX, `${what} value`, line)!]));
}

/** What NetworkPolicy reads of a class member (absent from uploads before the proposed-policy view). */
function memberDetail(x: Record<string, unknown>, line: number): Partial<NetClassMember> {
  const out: Partial<NetClassMember> = {};
  if (x.labels !== undefined) out.labels = labels(x.labels, line, 'netClass.members.labels');
  if (x.ports !== undefined) {
    if (!Array.isArray(x.ports) || x.ports.length > MAX_LABELS) throw new UploadError(`line ${line}: netClass.members.ports must be an array of at most ${MAX_LABELS}`);
    out.ports = x.ports.map((p: unknown) => {
      const q = obj(p, line, 'netClass.members.ports[]');
      if (!Number.isInteger(q.port) || (q.port as number) < 1 || (q.port as number) > 65535 || !isProtocol(q.protocol)) throw new UploadError(`line ${line}: netClass.members.ports[] needs a port 1-65535 and a protocol TCP, UDP or SCTP`);
      return { port: q.port as number, protocol: q.protocol, ...(q.name !== undefined && { name: str(q.name, NAME_MAX, 'netClass.members.ports[].name', line)! }) };
    });
  }
  if (x.ips !== undefined) {
    if (!Array.isArray(x.ips) || x.ips.length > 64) throw new UploadError(`line ${line}: netClass.members.ips must be an array of at most 64`);
    out.ips = x.ips.map((ip: unknown) => str(ip, 64, 'netClass.members.ips[]', line)!);
  }
  if (x.pods !== undefined) out.pods = int(x.pods, line, 'netClass.members.pods');
  return out;
}

/** The inventory records of a whole-cluster scan (format.ts), checked shallowly and bounded. */
function inventory(key: (typeof INVENTORY_KEYS)[number], v: unknown, line: number): InventoryRecord {
  const o = obj(v, line, key);
  switch (key) {
    case 'netClass': {
      if (!Array.isArray(o.members) || o.members.length > 1000) throw new UploadError(`line ${line}: netClass.members must be an array of at most 1000`);
      const members = o.members.map((m: unknown, i) => {
        const x = obj(m, line, `netClass.members[${i}]`);
        return { kind: str(x.kind, NAME_MAX, 'netClass.members.kind', line)!, name: str(x.name, NAME_MAX, 'netClass.members.name', line)!, ...(x.hostNetwork === true && { hostNetwork: true }), ...memberDetail(x, line) };
      });
      return { netClass: { id: int(o.id, line, 'netClass.id'), namespace: str(o.namespace, NAME_MAX, 'netClass.namespace', line)!, members } };
    }
    case 'netEdge':
      return { netEdge: { from: int(o.from, line, 'netEdge.from'), to: int(o.to, line, 'netEdge.to'), conn: str(o.conn, TEXT_MAX, 'netEdge.conn', line)! } };
    case 'exposure': {
      if (o.admitted !== 'yes' && o.admitted !== 'no' && o.admitted !== 'depends') throw new UploadError(`line ${line}: exposure.admitted must be yes, no or depends`);
      return { exposure: { namespace: str(o.namespace, NAME_MAX, 'exposure.namespace', line)!, name: str(o.name, NAME_MAX, 'exposure.name', line)!, kind: str(o.kind, NAME_MAX, 'exposure.kind', line)!, via: str(o.via, TEXT_MAX, 'exposure.via', line)!, connections: str(o.connections, TEXT_MAX, 'exposure.connections', line)!, admitted: o.admitted } };
    }
    case 'netNamespace':
      return { netNamespace: { name: str(o.name, NAME_MAX, 'netNamespace.name', line)!, labels: labels(o.labels, line, 'netNamespace.labels') } };
    case 'netPolicy': {
      if (JSON.stringify(o).length > MAX_PATH_CHARS) throw new UploadError(`line ${line}: netPolicy is longer than ${MAX_PATH_CHARS} characters`);
      const m = obj(o.metadata, line, 'netPolicy.metadata');
      if (o.kind !== 'NetworkPolicy') throw new UploadError(`line ${line}: netPolicy.kind must be NetworkPolicy`);
      const metadata = { name: str(m.name, NAME_MAX, 'netPolicy.metadata.name', line)!, namespace: str(m.namespace, NAME_MAX, 'netPolicy.metadata.namespace', line)! };
      return { netPolicy: { apiVersion: str(o.apiVersion, NAME_MAX, 'netPolicy.apiVersion', line)!, kind: 'NetworkPolicy', metadata, spec: obj(o.spec, line, 'netPolicy.spec') } };
    }
    case 'workloadAccount':
      return {
        workloadAccount: {
          namespace: str(o.namespace, NAME_MAX, 'workloadAccount.namespace', line)!,
          kind: str(o.kind, NAME_MAX, 'workloadAccount.kind', line)!,
          name: str(o.name, NAME_MAX, 'workloadAccount.name', line)!,
          serviceAccount: str(o.serviceAccount, NAME_MAX, 'workloadAccount.serviceAccount', line)!,
          serviceAccountDeclared: o.serviceAccountDeclared === true,
          tokenMounted: o.tokenMounted === true,
          tokenReason: str(o.tokenReason, TEXT_MAX, 'workloadAccount.tokenReason', line)!,
        },
      };
    case 'accountPower': {
      if (JSON.stringify(o).length > MAX_PATH_CHARS) throw new UploadError(`line ${line}: accountPower is longer than ${MAX_PATH_CHARS} characters`);
      if (!Array.isArray(o.abilities) || !Array.isArray(o.escalation)) throw new UploadError(`line ${line}: accountPower must have abilities and escalation`);
      return { accountPower: { namespace: str(o.namespace, NAME_MAX, 'accountPower.namespace', line)!, name: str(o.name, NAME_MAX, 'accountPower.name', line)!, abilities: o.abilities, escalation: o.escalation } as AccountPower };
    }
    case 'complianceScore': {
      if (o.score !== null && (typeof o.score !== 'number' || o.score < 0 || o.score > 100)) throw new UploadError(`line ${line}: complianceScore.score must be a percentage or null`);
      const counts = obj(o.counts, line, 'complianceScore.counts');
      if (Object.keys(counts).length > 16) throw new UploadError(`line ${line}: complianceScore.counts has more than 16 entries`);
      return {
        complianceScore: {
          framework: str(o.framework, 63, 'complianceScore.framework', line)!,
          version: str(o.version, NAME_MAX, 'complianceScore.version', line)!,
          score: o.score as number | null,
          pass: int(o.pass, line, 'complianceScore.pass'),
          fail: int(o.fail, line, 'complianceScore.fail'),
          counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [str(k, 40, 'complianceScore.counts key', line)!, int(v, line, 'complianceScore.counts')])),
        },
      };
    }
    case 'pathNode':
      return { pathNode: { id: str(o.id, TEXT_MAX, 'pathNode.id', line)!, type: str(o.type, 40, 'pathNode.type', line)! as AttackNode['type'], label: str(o.label, TEXT_MAX, 'pathNode.label', line)! } };
    default: {
      if (JSON.stringify(o).length > MAX_PATH_CHARS) throw new UploadError(`line ${line}: ${key} is longer than ${MAX_PATH_CHARS} characters`);
      if (key === 'attackPath' && (!Array.isArray(o.hops) || !Array.isArray(o.cuts) || typeof o.score !== 'number')) throw new UploadError(`line ${line}: attackPath must have hops, cuts and a score`);
      if (key === 'pathCut' && (typeof o.change !== 'string' || typeof o.breaks !== 'number')) throw new UploadError(`line ${line}: pathCut must have a change and breaks`);
      return { [key]: o } as unknown as InventoryRecord;
    }
  }
}

function header(v: unknown): UploadHeader {
  const o = (v ?? {}) as Record<string, unknown>;
  if (o.kubeguardUpload !== UPLOAD_FORMAT) throw new UploadError(`line 1: not a kubeguard upload (format ${UPLOAD_FORMAT} expected)`);
  const cluster = str(o.cluster, NAME_MAX, 'cluster', 1)!;
  // kubeconfig context names too: "kind-dev", "gke_project_zone_name", "arn:aws:eks:region:account:cluster/name"
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/.test(cluster)) throw new UploadError('line 1: cluster must start with a letter or digit and hold only letters, digits and . _ : / @ -');
  const source = str(o.source, 63, 'source', 1)!;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(source)) throw new UploadError('line 1: source must be lower-case letters, digits or "-"');
  if (o.scope !== 'cluster' && o.scope !== 'resources') throw new UploadError('line 1: scope must be "cluster" or "resources"');
  const scannedAt = str(o.scannedAt, 40, 'scannedAt', 1)!;
  if (!Number.isFinite(Date.parse(scannedAt))) throw new UploadError('line 1: scannedAt must be an ISO 8601 date-time');
  return { kubeguardUpload: UPLOAD_FORMAT, cluster, source, scope: o.scope, scannedAt };
}

function parse(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UploadError(`line ${line}: not JSON`);
  }
}

export interface UploadReader {
  header: UploadHeader;
  /** The records, in order; throws UploadError on a bad record or a body that ends without its end line. */
  records: AsyncGenerator<UploadRecord>;
  /** sha256 (hex) of the decompressed body: the upload's identity, once every record was read. */
  digest(): string;
}

async function* hashed(source: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Reads the header line, then hands the records out one by one (the body is never held whole). */
export async function readUpload(body: Readable | AsyncIterable<Buffer>, options: { gzip?: boolean; limits?: ReadLimits } = {}): Promise<UploadReader> {
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  const source = options.gzip ? (body as Readable).pipe(createGunzip()) : body;
  const hash = createHash('sha256');
  let digest: string | undefined;
  const it = lines(hashed(source as AsyncIterable<Buffer>, hash), limits);
  const first = await it.next();
  if (first.done) throw new UploadError('empty upload');
  const h = header(parse(first.value, 1));
  async function* records(): AsyncGenerator<UploadRecord> {
    let n = 1;
    const counts: UploadEnd = { resources: 0, findings: 0, held: 0, suppressed: 0 };
    for await (const text of it) {
      n++;
      if (n > limits.maxRecords) throw new UploadError(`more than ${limits.maxRecords} records`);
      if (text.trim() === '') continue;
      const v = parse(text, n) as Record<string, unknown> | null;
      if (v === null || typeof v !== 'object') throw new UploadError(`line ${n}: not a record`);
      if ('finding' in v) {
        counts.findings++;
        yield { finding: finding(v.finding, n) };
      } else if ('resource' in v) {
        counts.resources++;
        yield { resource: ref(v.resource, n) };
      } else if ('held' in v) {
        counts.held++;
        yield { held: held(v.held, n) };
      } else if ('suppressed' in v) {
        counts.suppressed++;
        yield { suppressed: suppressed(v.suppressed, n) };
      } else if (INVENTORY_KEYS.some((k) => k in v)) {
        const key = INVENTORY_KEYS.find((k) => k in v)!;
        counts.inventory = (counts.inventory ?? 0) + 1;
        yield inventory(key, v[key], n);
      } else if ('end' in v) {
        const e = (v.end ?? {}) as Record<string, unknown>;
        if (e.resources !== counts.resources || e.findings !== counts.findings || e.held !== counts.held || (e.suppressed ?? 0) !== counts.suppressed || (e.inventory ?? 0) !== (counts.inventory ?? 0)) throw new UploadError(`line ${n}: the end record's counts do not match the records sent`);
        for await (const extra of it) if (extra.trim() !== '') throw new UploadError(`line ${n + 1}: records after the end record`);
        digest = hash.digest('hex');
        return;
      } else throw new UploadError(`line ${n}: unknown record`);
    }
    throw new UploadError('the upload ended without its end record (truncated)');
  }
  return {
    header: h,
    records: records(),
    digest: () => {
      if (digest === undefined) throw new UploadError('the upload was not read to its end');
      return digest;
    },
  };
}
