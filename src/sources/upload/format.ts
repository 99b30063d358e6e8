/**
 * The upload format (`scan --upload`, `image scan --upload`, the agent, imports): newline-delimited JSON, gzip on
 * the wire, so a 150,000-pod cluster's results stream through both ends without ever being one string.
 *
 *   {"kubeguardUpload":1,"cluster":"prod","source":"kubeguard","scope":"cluster","scannedAt":"2026-…Z"}
 *   {"resource":{"apiVersion":"v1","kind":"Pod","namespace":"a","name":"p"}}     scope "resources": what was scanned
 *   {"finding":{…Finding…}}
 *   {"held":{"ruleId":"…","resource":{…}}}    not evaluated / failed: its findings keep their state
 *   {"suppressed":{"ruleId":"…","severity":"high","resource":{…},"path":"/spec/…","reason":"…","source":"config"}}
 *                                             a finding the scanner's exceptions (config, annotation, VEX) hid: excepted
 *   {"netClass":{"id":0,"namespace":"a","members":[{"kind":"Deployment","name":"web"}]}}   scope "cluster" only:
 *   {"netEdge":{"from":0,"to":1,"conn":"TCP 80"}}      NetworkPolicy reachability between workload classes,
 *   {"exposure":{"namespace":"a","name":"web","kind":"","via":"Ingress a/web","connections":"TCP 8080","admitted":"yes"}}
 *   {"attackPath":{…AttackPath…,"cuts":[{"hop":1,"change":"…"}]}} {"pathNode":{"id","type","label"}} {"pathCut":{…}}
 *                                             the attack paths (src/analysis/paths): the dashboard's graphs
 *   {"netNamespace":{"name":"a","labels":{…}}} {"netPolicy":{…NetworkPolicy…}}   the rest of the network model:
 *                                             what a proposed NetworkPolicy would change is evaluated on it
 *   {"workloadAccount":{"namespace","kind","name","serviceAccount","serviceAccountDeclared","tokenMounted","tokenReason"}}
 *   {"accountPower":{"namespace","name","abilities":[…],"escalation":[…]}}   RBAC power of the accounts
 *   {"complianceScore":{"framework":"nsa","version":"…","score":87.5,"pass":7,"fail":1,"counts":{…}}}  per framework
 *   {"end":{"resources":1,"findings":1,"held":0,"suppressed":0,"inventory":0}}   a body without it is refused
 *
 * Scope "cluster": the upload is the whole cluster as one source sees it, so an open finding of that source that
 * is missing is fixed (its object was deleted or repaired). Scope "resources": only the listed objects were
 * scanned (a CI run over some manifests, one image), so only their findings can become fixed.
 *
 * The inventory records (netClass … pathCut) came later: a server that does not know them refuses the upload as
 * "unknown record", and the client sends it again without them (cli/upload.ts).
 */
import type { Finding, KubeObject, ResourceRef, ScanReport, Severity } from '../../core/model.js';
import type { NamedPort } from '../../analysis/network/cluster.js';
import type { AbilityLine } from '../../analysis/rbac/ability-summary.js';
import type { EscalationPath } from '../../analysis/rbac/escalation/model.js';
import type { AttackNode, AttackPath, CutChange } from '../../analysis/paths/model.js';

export const UPLOAD_FORMAT = 1;
export const UPLOAD_CONTENT_TYPE = 'application/x-ndjson';

export type UploadScope = 'cluster' | 'resources';

export interface UploadHeader {
  kubeguardUpload: typeof UPLOAD_FORMAT;
  cluster: string;
  /** Which tool's results these are: kubeguard, or an imported tool (kyverno, trivy-operator, …). */
  source: string;
  scope: UploadScope;
  /** When the scan ran (ISO 8601): the time findings were seen, fixed or reopened. */
  scannedAt: string;
}

/** Findings of this rule (any rule when absent) on this object (any object when absent) keep their state. */
export interface Held {
  ruleId?: string;
  resource?: ResourceRef;
}

/** A finding an exception of the scanner hid; the server keeps it as excepted rather than fixed. */
export interface SuppressedFinding {
  ruleId: string;
  severity: Severity;
  resource: ResourceRef;
  path: string;
  reason: string;
  /** Whose exception: kubeguard's config, an annotation, a VEX statement, or the importing tool's own. */
  source: 'annotation' | 'config' | 'vex' | 'tool';
}

/**
 * Workloads NetworkPolicy cannot tell apart (same namespace, labels, ports); a large class comes in parts. Since
 * the proposed-policy view, each member also carries what NetworkPolicy reads of it (labels, ports, pod IPs, pod
 * count): servers before it ignore these fields.
 */
export interface NetClass {
  id: number;
  namespace: string;
  members: NetClassMember[];
}

export interface NetClassMember {
  kind: string;
  name: string;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  ports?: NamedPort[];
  ips?: string[];
  pods?: number;
}

/** The service account a workload's pods run as, and whether its token is in them (src/analysis/rbac facts). */
export interface WorkloadAccount {
  namespace: string;
  kind: string;
  name: string;
  serviceAccount: string;
  /** Whether the ServiceAccount object exists in the scan. */
  serviceAccountDeclared: boolean;
  tokenMounted: boolean;
  tokenReason: string;
}

/**
 * A service account's RBAC power, as `kubeguard rbac blast-radius` reports it: its dangerous abilities per scope
 * (through its own and its groups' bindings) and its shortest escalation path to each capability it reaches.
 */
export interface AccountPower {
  namespace: string;
  name: string;
  abilities: AbilityLine[];
  escalation: EscalationPath[];
}

/**
 * A compliance framework's score over the whole cluster, as `scan --framework F` computes it: PASS ÷ (PASS + FAIL)
 * in percent (null when no control was decided), with the control counts per status.
 */
export interface ComplianceScoreRecord {
  framework: string;
  version: string;
  score: number | null;
  pass: number;
  fail: number;
  counts: Record<string, number>;
}

/** A declared namespace and its labels (namespaceSelector reads them). */
export interface NetNamespaceRecord {
  name: string;
  labels: Record<string, string>;
}

/** What NetworkPolicy lets one class's workloads open to another's ("TCP 80,443", "All connections"). */
export interface NetEdge {
  from: number;
  to: number;
  conn: string;
}

/** A way in from outside the cluster: public addresses a policy admits, or a Service/Ingress/route. */
export interface Exposure {
  namespace: string;
  name: string;
  /** The workload kind when known ('' when only the name is). */
  kind: string;
  via: string;
  connections: string;
  admitted: 'yes' | 'no' | 'depends';
}

/** An attack path with the steps the cut removes (hop index into `hops`, and by which change). */
export type UploadedPath = AttackPath & { cuts: { hop: number; change: string }[] };

export type InventoryRecord =
  | { netClass: NetClass }
  | { netEdge: NetEdge }
  | { exposure: Exposure }
  | { attackPath: UploadedPath }
  | { pathNode: AttackNode }
  | { pathCut: CutChange }
  | { netNamespace: NetNamespaceRecord }
  | { netPolicy: KubeObject }
  | { workloadAccount: WorkloadAccount }
  | { accountPower: AccountPower }
  | { complianceScore: ComplianceScoreRecord };

/** Inventory records a server before them refuses as "unknown record" (the client then sends the others). */
export const NEWER_INVENTORY_KEYS = ['netNamespace', 'netPolicy', 'workloadAccount', 'accountPower', 'complianceScore'] as const;

export const INVENTORY_KEYS = ['netClass', 'netEdge', 'exposure', 'attackPath', 'pathNode', 'pathCut', ...NEWER_INVENTORY_KEYS] as const;

export type UploadRecord = { resource: ResourceRef } | { finding: Finding } | { held: Held } | { suppressed: SuppressedFinding } | InventoryRecord;

export interface UploadEnd {
  resources: number;
  findings: number;
  held: number;
  suppressed: number;
  /** Inventory records (absent: none; servers before them ignore the count). */
  inventory?: number;
}

/** The suppressed findings of a report that name their field (rule findings; VEX statements name none). */
export function suppressedOf(report: Pick<ScanReport, 'suppressed'>): SuppressedFinding[] {
  const out: SuppressedFinding[] = [];
  for (const s of report.suppressed) {
    if (s.path === undefined || s.severity === undefined) continue;
    out.push({ ruleId: s.ruleId, severity: s.severity, resource: s.resource, path: s.path, reason: s.reason, source: s.source });
  }
  return out;
}

/** What a scan report says about findings it could not judge: each becomes a hold on their current state. */
export function holdsOf(report: Pick<ScanReport, 'notEvaluated' | 'errors'>, scope: UploadScope): Held[] {
  const held: Held[] = [];
  for (const n of report.notEvaluated) {
    if (n.notVisible) continue;
    held.push({ ...(n.ruleId !== undefined && { ruleId: n.ruleId }), ...(n.resource && { resource: n.resource }) });
  }
  for (const e of report.errors) {
    if (e.resource || e.ruleId) held.push({ ...(e.ruleId !== undefined && { ruleId: e.ruleId }), ...(e.resource && { resource: e.resource }) });
    // an unreadable file in a cluster-wide upload may have held anything: nothing is fixed this time
    else if (scope === 'cluster') held.push({});
  }
  return held;
}

/** The lines of an upload, each ending in a newline. */
export function* uploadLines(header: Omit<UploadHeader, 'kubeguardUpload'>, resources: Iterable<ResourceRef>, findings: Iterable<Finding>, held: Iterable<Held>, suppressed: Iterable<SuppressedFinding> = [], inventory: Iterable<InventoryRecord> = []): Generator<string> {
  yield JSON.stringify({ kubeguardUpload: UPLOAD_FORMAT, ...header }) + '\n';
  const end: UploadEnd = { resources: 0, findings: 0, held: 0, suppressed: 0 };
  for (const r of resources) {
    end.resources++;
    yield JSON.stringify({ resource: r }) + '\n';
  }
  for (const f of findings) {
    end.findings++;
    yield JSON.stringify({ finding: f }) + '\n';
  }
  for (const h of held) {
    end.held++;
    yield JSON.stringify({ held: h }) + '\n';
  }
  for (const x of suppressed) {
    end.suppressed++;
    yield JSON.stringify({ suppressed: x }) + '\n';
  }
  let n = 0;
  for (const r of inventory) {
    n++;
    yield JSON.stringify(r) + '\n';
  }
  yield JSON.stringify({ end: n ? { ...end, inventory: n } : end }) + '\n';
}
