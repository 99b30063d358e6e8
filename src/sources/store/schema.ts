/**
 * The server store's tables as kysely sees them. Times are milliseconds since the epoch (bigint in PostgreSQL,
 * integer in SQLite, read back as numbers); JSON columns are text. One schema for both databases.
 */
import type { Generated } from 'kysely';

export interface ClusterTable {
  name: string;
  created_at: number;
  /** `scannedAt` of the newest upload applied per source, as JSON {source: ms}. */
  last_scans: string;
  /** Grows with every change of the cluster's overview counts (migration 0017): the overview's cache key. */
  generation: Generated<number>;
}

export interface UploadTable {
  cluster: string;
  /** The client's idempotency key (sha256 of the upload body). */
  key: string;
  source: string;
  scope: string;
  scanned_at: number;
  received_at: number;
  /** The outcome returned to the client, returned again for a repeated upload. */
  outcome: string;
}

export interface FindingTable {
  cluster: string;
  fingerprint: string;
  source: string;
  rule_id: string;
  severity: string;
  /** 'open' | 'fixed' | 'excepted'. */
  status: string;
  api_version: string;
  kind: string;
  /** '' for cluster-scoped objects and objects without a namespace. */
  namespace: string;
  name: string;
  path: string;
  message: string;
  first_seen: number;
  last_seen: number;
  fixed_at: number | null;
  /** For a reopened finding: when it had been fixed before it came back. */
  last_fixed_at: number | null;
  reopened_at: number | null;
  reopen_count: number;
  exception_id: number | null;
  /** The latest scan's location, remediation, patch, evidence, related findings (JSON; see FindingDetail). */
  detail: string | null;
  /** critical 4 … info 0: lists sort worst-first on an index. */
  severity_rank: number;
}

export interface DailyCountTable {
  cluster: string;
  /** UTC day as YYYY-MM-DD. */
  day: string;
  namespace: string;
  rule_id: string;
  severity: string;
  open: number;
}

/** Findings of a cluster first seen (new) and fixed at an instant (an upload's), as they stand now. */
export interface FlowCountTable {
  cluster: string;
  at: number;
  new_findings: number;
  fixed_findings: number;
}

/** Open findings of a namespace by severity, as of now (recounted with the day's counts). */
export interface OpenByNamespaceTable {
  cluster: string;
  namespace: string;
  severity: string;
  open: number;
}

/** Each cluster's worst workloads by open findings per severity (migration 0018, store/worst-workloads.ts). */
export interface WorstWorkloadTable {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}

/** The latest inventory of a cluster (migration 0011): when it was scanned, its attack paths as JSON. */
export interface InventoryScanTable {
  cluster: string;
  scanned_at: number;
  /** {paths, nodes, cut} */
  paths: string;
  /** analysis/network/topology.ts NetTopology as JSON (migration 0012); null from uploads before it. */
  topology: string | null;
}

/** A workload and its NetworkPolicy class (workloads of one class are treated alike by every policy). */
export interface NetMemberTable {
  cluster: string;
  class_id: number;
  namespace: string;
  kind: string;
  name: string;
  host_network: number;
}

export interface NetEdgeTable {
  cluster: string;
  src: number;
  dst: number;
  conn: string;
}

export interface NetExposureTable {
  cluster: string;
  namespace: string;
  name: string;
  kind: string;
  via: string;
  connections: string;
  admitted: string;
}

/** The service account a workload runs as, from the latest whole-cluster scan (migration 0014). */
export interface WorkloadAccountTable {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  service_account: string;
  /** Whether the ServiceAccount object was in the scan (else it is only named by the pod spec). */
  account_declared: number;
  token_mounted: number;
  token_reason: string;
}

/** A service account's dangerous abilities and escalation paths (upload format AccountPower, as JSON). */
export interface AccountPowerTable {
  cluster: string;
  namespace: string;
  name: string;
  body: string;
}

/** The runtime baseline uploaded for a cluster: when, whether locked, what it learnt from ({from, until, events}). */
export interface RuntimeBaselineTable {
  cluster: string;
  uploaded_at: number;
  locked: number;
  learned: string;
  workloads: number;
}

/** One workload of a cluster's runtime baseline; `containers` is its ContainerBaseline map as JSON. */
export interface BaselineWorkloadTable {
  cluster: string;
  namespace: string;
  workload: string;
  kind: string | null;
  /** Whether the baseline is locked for this workload (its own lock, else the file's). */
  locked: number;
  containers: string;
}

/** A compliance framework's score of one whole-cluster scan (migration 0014). */
export interface ComplianceScoreTable {
  cluster: string;
  scanned_at: number;
  framework: string;
  version: string;
  /** The percentage × 10 (one decimal); null when no control was decided. */
  score_tenths: number | null;
  pass: number;
  fail: number;
  /** Control counts per status, as JSON. */
  counts: string;
}

export interface TokenTable {
  id: Generated<number>;
  name: string;
  role: string;
  /** sha256 of the token; the token itself is shown once and never stored. */
  hash: string;
  /** An uploader token may be bound to one cluster. */
  cluster: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ExceptionTable {
  id: Generated<number>;
  /** 'requested' | 'approved' | 'rejected' | 'revoked' | 'expired'. */
  status: string;
  rules: string;
  rule_ids: string;
  clusters: string;
  namespaces: string | null;
  kinds: string | null;
  names: string | null;
  reason: string;
  owner: string | null;
  ticket: string | null;
  expires: string | null;
  expires_at: number | null;
  requested_by: string;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
  expiry_warned_at: number | null;
}

export interface EventTable {
  id: Generated<number>;
  kind: string;
  cluster: string | null;
  payload: string;
  created_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  sent_at: number | null;
  attempts: Generated<number>;
}

export interface AuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  remote: string | null;
}

export interface JobLeaseTable {
  name: string;
  holder: string;
  until: number;
}

export interface IncidentTable {
  cluster: string;
  id: string;
  detector: string;
  severity: string;
  status: string;
  namespace: string;
  owner_kind: string;
  owner_name: string;
  pod: string;
  title: string;
  first_at: number;
  last_at: number;
  count: number;
  /** The incident as posted (JSON). */
  body: string;
  received_at: number;
  exception_id: number | null;
}

export interface DeliveryTable {
  event_id: number;
  channel: string;
  sent_at: number;
}

export interface UserTable {
  id: Generated<number>;
  /** Lower case; unique. */
  name: string;
  /** 'viewer' | 'approver' | 'admin'. */
  role: string;
  /** PHC string `$scrypt$ln=…,r=…,p=…$salt$hash`; the password itself is never stored. */
  password_hash: string;
  created_at: number;
  password_changed_at: number;
  last_login_at: number | null;
  disabled_at: number | null;
}

export interface SessionTable {
  /** sha256 of the session id the cookie carries. */
  id_hash: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  /** The absolute end of the session, however active it is. */
  expires_at: number;
  remote: string | null;
}

export interface LoginFailureTable {
  key: string;
  failures: number;
  window_start: number;
}

export interface DigestTable {
  channel: string;
  recipient: string;
  /** The start of the period the digest covers (ms). */
  period_start: number;
  claimed_by: string | null;
  claimed_until: number | null;
  attempts: Generated<number>;
  sent_at: number | null;
}

export interface StoreSchema {
  digests: DigestTable;
  users: UserTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  deliveries: DeliveryTable;
  incidents: IncidentTable;
  exceptions: ExceptionTable;
  events: EventTable;
  audit_log: AuditTable;
  job_leases: JobLeaseTable;
  clusters: ClusterTable;
  uploads: UploadTable;
  findings: FindingTable;
  daily_counts: DailyCountTable;
  flow_counts: FlowCountTable;
  open_by_namespace: OpenByNamespaceTable;
  worst_workloads: WorstWorkloadTable;
  inventory_scans: InventoryScanTable;
  net_members: NetMemberTable;
  net_edges: NetEdgeTable;
  net_exposures: NetExposureTable;
  workload_accounts: WorkloadAccountTable;
  account_power: AccountPowerTable;
  runtime_baselines: RuntimeBaselineTable;
  baseline_workloads: BaselineWorkloadTable;
  compliance_scores: ComplianceScoreTable;
  api_tokens: TokenTable;
}
