/**
 * The dashboard talks to the server over HTTP only (/api/v1, described by /openapi.json). Credentials: the server's
 * session cookie (with its CSRF token on changes) or, until a user logs in with a password, a bearer token kept
 * for this tab only (sessionStorage).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'kubeguard.token';
let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

export function bearerToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function useBearerToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type Query = Record<string, string | number | string[] | undefined | null>;

export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat 401 as "log in again" (the login page itself). */
  quiet401?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = bearerToken();
  if (token) headers.authorization = `Bearer ${token}`;
  else if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}${queryString(options.query)}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data ?? {}) as { error?: string; message?: string };
    if (res.status === 401 && !options.quiet401) onUnauthorized();
    throw new ApiError(res.status, err.error ?? 'error', err.message ?? `${res.status} ${res.statusText}`);
  }
  return data as T;
}

// ---- shapes of the API (see /openapi.json) ----

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Finding {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  status: 'open' | 'fixed' | 'excepted';
  cluster: string;
  resource: ResourceRef;
  firstSeen: string;
  lastSeen: string;
  fixedAt: string | null;
  path: string;
  message: string;
  source: string;
  reopenedAt: string | null;
  reopenCount: number;
  exceptionId: number | null;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

export interface FindingDetail extends Finding {
  location?: { file: string; line?: number; column?: number };
  remediation?: string;
  evidence?: string;
  fix?: JsonPatchOp[];
  compliance?: Record<string, string[]>;
  related?: { ruleId: string; severity: string; message: string; resource: ResourceRef; path: string }[];
  title?: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface ClusterView {
  name: string;
  createdAt: string;
  lastScans: Record<string, string>;
  open: Record<string, number>;
  excepted: number;
  fixed: number;
}

export interface CountItem {
  group: Record<string, string>;
  count: number;
}

export interface Trends {
  from: string;
  to: string;
  open: { day: string; open: number }[];
  flow: { day: string; new: number; fixed: number }[];
}

/** GET /api/v1/overview: the overview page's sections in one answer. */
export interface Overview {
  clusters: ClusterView[];
  trends: Trends;
  compliance: ComplianceScore[];
  topRules: CountItem[];
  worstNamespaces: CountItem[];
  worstWorkloads: WorstWorkload[];
}

export interface WorstWorkload {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  open: Record<string, number>;
}

export interface ExceptionView {
  id: number;
  status: 'requested' | 'approved' | 'rejected' | 'revoked' | 'expired';
  rules: string[];
  clusters: string[];
  namespaces?: string[];
  kinds?: string[];
  names?: string[];
  reason: string;
  owner?: string;
  ticket?: string;
  expires?: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  findings: number;
}

export interface Incident {
  cluster: string;
  id: string;
  detector: string;
  severity: Severity;
  status: string;
  title: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  exceptionId: number | null;
  incident: Record<string, unknown>;
}

export interface SessionInfo {
  user: { name: string; role: string };
  permissions: string[];
  csrfToken?: string;
  /** Signed in by a cookie session (a user with a password) or a bearer token. */
  via?: 'session' | 'token';
}

export interface NetworkView {
  cluster: string;
  clusters: string[];
  scannedAt: string;
  namespaces: { namespace: string; workloads: number }[];
  namespace: string;
  nodes: { id: string; label: string; type: 'workload' | 'namespace' | 'internet' | 'peer'; kind?: string; hostNetwork?: boolean }[];
  edges: { from: string; to: string; conn: string }[];
  exposures: { workload: string; via: string; connections: string; admitted: 'yes' | 'no' | 'depends' }[];
  truncated: boolean;
  /** Absent from servers before runtime baselines. */
  observed?: { from: string; to: string; conn: string }[];
  baseline?: BaselineSummary | null;
}

export interface BaselineSummary {
  uploadedAt: string;
  locked: boolean;
  learned: { from?: string; until?: string; events: number; lockedAt?: string };
  workloads: number;
}

export interface ContainerBaseline {
  processes: string[];
  egress: string[];
  ingress: string[];
  dns: string[];
  http: string[];
}

export interface WorkloadBaselineView {
  cluster: string;
  clusterBaseline: BaselineSummary | null;
  baseline: { kind: string | null; locked: boolean; containers: Record<string, ContainerBaseline> } | null;
}

export interface EscalationStep {
  subject: string;
  action: string;
  permission: string;
  via: string;
}

export interface WorkloadAccessView {
  cluster: string;
  scannedAt: string | null;
  access: {
    serviceAccount: { namespace: string; name: string; declared: boolean };
    tokenMounted: boolean;
    tokenReason: string;
    abilities: { scope: string; ability: string; words: string; via: string[] }[];
    escalation: { to: string; severity: Severity; steps: EscalationStep[] }[];
    severity: Severity;
  } | null;
}

export interface AttackHop {
  from: string;
  to: string;
  edge: string;
  evidence: string;
  technique: { id: string; name: string };
}

export interface AttackPathsView {
  cluster: string;
  clusters: string[];
  scannedAt: string;
  paths: { from: string; to: string; hops: AttackHop[]; score: number; cuts: { hop: number; change: string }[] }[];
  nodes: Record<string, { type: string; label: string }>;
  cut: { change: string; breaks: number }[];
}

export interface UserView {
  name: string;
  role: string;
  createdAt: string;
  passwordChangedAt: string;
  lastLoginAt: string | null;
  disabled: boolean;
}

export interface AdvisoryView {
  id: string;
  severity: Severity;
  findings: number;
  clusters: number;
  workloads: number;
  images: number;
  fixable: boolean;
}

export interface AffectedImage {
  image: string;
  fixedIn?: string;
  exposure?: 'internet' | 'node' | 'cluster';
  clusters: string[];
  workloads: { cluster: string; namespace: string; kind: string; name: string; container?: string; exposure?: string; status: string; fingerprint: string }[];
  scans: { cluster: string; fingerprint: string; status: string }[];
}

export interface AdvisoryDetail {
  id: string;
  severity: Severity;
  message: string;
  fixable: boolean;
  images: AffectedImage[];
  truncated: boolean;
}

export interface TokenView {
  id: number;
  name: string;
  role: string;
  cluster: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NotificationTarget {
  name: string;
  type: 'webhook' | 'slack' | 'smtp';
  endpoint: string;
  events?: string[];
  clusters?: string[];
}

export interface ProposalEndpoint {
  id: string;
  label: string;
  namespace?: string;
}

export interface ProposalChange {
  from: ProposalEndpoint;
  to: ProposalEndpoint;
  connections: string;
  before: string;
  after: string;
}

export interface ProposalView {
  cluster: string;
  scannedAt: string;
  policies: { namespace: string; name: string; replaces: boolean }[];
  gained: ProposalChange[];
  lost: ProposalChange[];
  counts: { gained: number; lost: number };
  truncated: boolean;
  warnings: string[];
}

export interface ComplianceScore {
  cluster: string;
  framework: string;
  version: string;
  score: number | null;
  pass: number;
  fail: number;
  counts: Record<string, number>;
  scannedAt: string;
  previous: { score: number | null; scannedAt: string } | null;
}
