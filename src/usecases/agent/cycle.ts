/**
 * One pass of the in-cluster agent (`kubeguard agent`): read the live cluster, judge it exactly as
 * `kubeguard scan --cluster` does (the config's rules and exceptions, custom CEL rules, the cluster's own
 * ValidatingAdmissionPolicies, kinds that could not be listed held as "could not evaluate"), with the server's
 * approved exceptions for the cluster, and upload the result as a whole-cluster scan under the agent's cluster
 * name (what is no longer there is fixed), with the records the dashboard draws from (network, attack paths,
 * service accounts' RBAC power, compliance per framework). Passes are idempotent: the same cluster uploaded again is 0 new,
 * 0 fixed, 0 reopened on the server.
 */
import type { KubeguardConfig } from '../../engine/config.js';
import { RULES, ruleById } from '../../engine/catalog.js';
import { celRules } from '../../engine/cel-rules.js';
import { forDisplay } from '../../engine/display.js';
import { dynamicRuleSetting, resolveRules } from '../../engine/resolve-rules.js';
import { scan } from '../../engine/scan.js';
import { vapRules } from '../../engine/vap-rules.js';
import type { KubeConfigChoice } from '../../sources/cluster/kubeconfig.js';
import { clusterSourceName, notEvaluatedFromFailures, objectsToResources, readCluster } from '../../sources/cluster/index.js';
import { sendUploadWithInventory } from '../../sources/upload/client.js';
import { inventoryRecords } from '../history/inventory.js';
import { complianceScoreRecords } from '../compliance/scores.js';
import { holdsOf, suppressedOf, uploadLines } from '../../sources/upload/format.js';
import type { ServerExceptions } from '../../sources/upload/server-exceptions.js';
import type { WatchStart } from '../../sources/cluster/collect.js';
import { contentFingerprint, objectKey } from '../../sources/cluster/watch.js';

export interface AgentSettings {
  /** The server's base URL. */
  server: string;
  token: string;
  /** The name the cluster's results are kept under. */
  cluster: string;
  config: KubeguardConfig;
  configFile?: string;
  /** Which cluster: the in-cluster service account by default, or a kubeconfig (tests, running outside). */
  kube: KubeConfigChoice;
  exceptions: ServerExceptions;
  userAgent: string;
  /** Upload attempts (default 6, with capped backoff). */
  attempts?: number;
  /** Watch mode: the key Secrets are sanitized with (kept for the process, so a watch's fingerprints compare). */
  hmacKey?: Buffer;
  onRetry?: (message: string) => void;
}

export interface CycleOutcome {
  objects: number;
  findings: number;
  /** Kinds that could not be listed (their rules are held, not fixed). */
  failures: string[];
  /** Server exceptions applied; `stale` says why they are the last good set rather than fresh ones. */
  exceptions: { count: number; stale?: string };
  upload: Record<string, unknown>;
  /** Where a watch continues from, and what the read saw (with `hmacKey`). */
  watch?: { from: WatchStart[]; known: Map<string, string> };
}

export async function agentCycle(s: AgentSettings, now: Date = new Date()): Promise<CycleOutcome> {
  const state = await readCluster({ ...s.kube, now, ...(s.hmacKey && { hmacKey: s.hmacKey }) });
  const resources = objectsToResources(state.objects, clusterSourceName(state.context));
  const fetched = await s.exceptions.refresh(now);
  // a refusal (token revoked, wrong cluster) stops the pass: its upload would be refused too
  if (!fetched.ok && fetched.refused) throw new Error(fetched.error);
  const serverExceptions = fetched.snapshot?.exceptions ?? [];

  const catalog = [...RULES, ...celRules(s.config, [], new Set(RULES.map((r) => r.id)), s.configFile)];
  const vap = vapRules(resources, [], (id) => dynamicRuleSetting(s.config, id));
  const rules = [...resolveRules(catalog, s.config), ...vap.rules];
  const enabled = new Set(rules.map((r) => r.rule.id));
  const report = scan(resources, {
    rules,
    exceptions: [...(s.config.exceptions ?? []), ...serverExceptions],
    annotationExceptions: s.config.annotationExceptions,
    now,
    skipped: vap.skipped,
    notEvaluated: notEvaluatedFromFailures(state.failures, RULES).filter((n) => n.ruleId === undefined || enabled.has(n.ruleId)),
  });
  // one record per problem, as every report shows it (and `scan --cluster --upload` sends)
  const category = (id: string) => catalog.find((r) => r.id === id)?.category ?? ruleById(id)?.category;
  const merged = forDisplay(report, {}, category);
  const header = { cluster: s.cluster, source: 'kubeguard', scope: 'cluster' as const, scannedAt: now.toISOString() };
  // the dashboard's records, as `scan --cluster --upload` sends them: network, attack paths, RBAC power, compliance
  const objects = resources.map((r) => r.object);
  const inventory = [...inventoryRecords(objects), ...complianceScoreRecords({ report, rules: rules.map((r) => r.rule), catalog, objects })];
  const upload = await sendUploadWithInventory(
    { url: s.server, token: s.token, userAgent: s.userAgent, ...(s.attempts !== undefined && { attempts: s.attempts }), ...(s.onRetry && { onRetry: s.onRetry }) },
    (extra) => uploadLines(header, [], merged.findings, holdsOf(report, 'cluster'), suppressedOf(report), extra),
    inventory,
    (dropped) => s.onRetry?.(`the server does not take ${dropped === 'newer' ? 'the network model, RBAC power and compliance records' : 'network and attack-path records'} (an older version): uploading without them`),
  );
  return {
    objects: resources.length,
    findings: merged.findings.length,
    failures: state.failures.map((f) => f.reason),
    exceptions: { count: serverExceptions.length, ...(!fetched.ok && { stale: fetched.error }) },
    upload,
    ...(s.hmacKey && { watch: { from: state.watchFrom, known: new Map(state.objects.map((o) => [objectKey(o), contentFingerprint(o)])) } }),
  };
}
