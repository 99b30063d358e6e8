/**
 * Least-privilege NetworkPolicies from observed flows.
 *
 * - Workloads are grouped by their selector labels (stable labels of the workload found in the resource set, else
 *   the labels the flow carries, else `app: <name>`); one ingress policy per destination group and one egress
 *   policy per source group, in the workload's namespace.
 * - Each rule admits exactly the observed (peer, protocol, port) combinations: a pod peer in the same namespace is
 *   a podSelector; in another namespace a namespaceSelector (kubernetes.io/metadata.name) AND podSelector in one
 *   peer; an external address an ipBlock /32 (/128).
 * - When egress is restricted, DNS to kube-dns (kube-system, k8s-app=kube-dns, UDP and TCP 53) stays allowed.
 * - The YAML carries comments naming the flows each rule serves.
 * Policies for system namespaces (kube-system by default) are not generated: restricting DNS or control-plane
 * ingress from a sample of flows breaks clusters.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../core/model.js';
import { NAMESPACE_NAME_LABEL, type NetCluster } from './cluster.js';
import type { Protocol } from './conns.js';
import { resolveFlowEndpoint, stableLabels } from './flow-endpoints.js';
import { dedupeFlows, endpointKey, flowKey, type Flow } from './flows.js';
import { parseIp } from './ip.js';

export interface GenerateOptions {
  /** Generate egress policies too (default true). */
  egress?: boolean;
  /** Where DNS lives (default kube-system, k8s-app=kube-dns). */
  dns?: { namespace: string; podLabels: Record<string, string> };
  /** Namespaces to leave alone (default ["kube-system"]). */
  skipNamespaces?: string[];
}

export interface GeneratedPolicy {
  object: KubeObject;
  /** The flows (src -> dst PROTO/port) the policy's rules serve. */
  serves: string[];
}

export interface GenerateResult {
  policies: GeneratedPolicy[];
  yaml: string;
  warnings: string[];
}

interface Group {
  namespace: string;
  labels: Record<string, string>;
  workloads: Set<string>;
}

interface RuleAcc {
  peer: Record<string, unknown>;
  ports: Map<string, { protocol: Protocol; port: number }>;
  flows: string[];
}

function labelKey(l: Record<string, string>): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');
}

function dnsName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return n.slice(0, 63).replace(/-+$/, '') || 'workload';
}

export function generatePolicies(flows: readonly Flow[], cluster: NetCluster, opts: GenerateOptions = {}): GenerateResult {
  const warnings: string[] = [];
  const dns = opts.dns ?? { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
  const skip = new Set(opts.skipNamespaces ?? ['kube-system']);
  const index = new Map(cluster.pods.map((p) => [p.key, p]));

  const groupOf = new Map<string, Group>();
  const selectorFor = (e: Flow['src']): { group?: Group; peer: Record<string, unknown> } => {
    if (e.type === 'ip') {
      const fam = parseIp(e.ip).family;
      return { peer: { ipBlock: { cidr: `${e.ip}/${fam === 4 ? 32 : 128}` } } };
    }
    const r = resolveFlowEndpoint(cluster, e, index);
    const pod = r.endpoint.type === 'pod' ? r.endpoint.pod : undefined;
    const labels = stableLabels(pod?.labels ?? {});
    if (r.assumedLabels) warnings.push(`${endpointKey(e)}: no labels known (not in the resource set and none in the flow); assuming app=${labels.app}`);
    const k = `${e.namespace}|${labelKey(labels)}`;
    let g = groupOf.get(k);
    if (!g) groupOf.set(k, (g = { namespace: e.namespace, labels, workloads: new Set() }));
    g.workloads.add(pod?.name ?? e.name);
    return { group: g, peer: { podSelector: { matchLabels: labels } } };
  };
  const peerFrom = (policyNs: string, sel: { group?: Group; peer: Record<string, unknown> }): Record<string, unknown> => {
    if (!sel.group || sel.group.namespace === policyNs) return sel.peer;
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: sel.group.namespace } }, ...sel.peer };
  };
  // A flow to port 53 in the DNS namespace (or to the DNS pods) is DNS: the DNS rule serves it.
  const isDns = (g: Group | undefined, port: number): boolean =>
    !!g && g.namespace === dns.namespace && (port === 53 || Object.entries(dns.podLabels).every(([k, v]) => g.labels[k] === v));

  const ingress = new Map<Group, Map<string, RuleAcc>>();
  const dnsServed = new Map<Group, Map<string, RuleAcc>>();
  const egress = new Map<Group, Map<string, RuleAcc>>();
  const addRule = (m: Map<Group, Map<string, RuleAcc>>, g: Group, peer: Record<string, unknown>, f: Flow, count: number): void => {
    let rules = m.get(g);
    if (!rules) m.set(g, (rules = new Map()));
    const pk = JSON.stringify(peer);
    let r = rules.get(pk);
    if (!r) rules.set(pk, (r = { peer, ports: new Map(), flows: [] }));
    r.ports.set(`${f.protocol}/${f.port}`, { protocol: f.protocol, port: f.port });
    r.flows.push(`${flowKey(f)}${count > 1 ? ` (${count}x)` : ''}`);
  };

  for (const { flow, count } of dedupeFlows(flows)) {
    const s = selectorFor(flow.src);
    const d = selectorFor(flow.dst);
    if (d.group && !skip.has(d.group.namespace)) addRule(ingress, d.group, peerFrom(d.group.namespace, s), flow, count);
    const dnsFlow = isDns(d.group, flow.port) && flow.port === 53;
    if (opts.egress !== false && s.group && !skip.has(s.group.namespace) && !dnsFlow) addRule(egress, s.group, peerFrom(s.group.namespace, d), flow, count);
    if (opts.egress !== false && s.group && !skip.has(s.group.namespace) && dnsFlow) {
      // served by the DNS rule every egress policy carries
      addRule(dnsServed, s.group, {}, flow, count);
    }
  }

  const policies: GeneratedPolicy[] = [];
  const texts: string[] = [];
  const usedNames = new Set<string>();
  const nameFor = (g: Group, suffix: string): string => {
    const base = dnsName(`${[...g.workloads].sort()[0]}-${suffix}`);
    let n = base;
    for (let i = 2; usedNames.has(`${g.namespace}/${n}`); i++) n = `${base}-${i}`;
    usedNames.add(`${g.namespace}/${n}`);
    return n;
  };
  const emit = (g: Group, dir: 'ingress' | 'egress', rules: RuleAcc[], dnsRule?: RuleAcc): void => {
    const name = nameFor(g, dir);
    const allRules = dnsRule ? [...rules, dnsRule] : rules;
    const specRules = allRules.map((r) => ({
      [dir === 'ingress' ? 'from' : 'to']: [r.peer],
      ports: [...r.ports.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port).map((p) => ({ protocol: p.protocol, port: p.port })),
    }));
    const object: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: g.namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeguard' } },
      spec: { podSelector: { matchLabels: g.labels }, policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'], [dir]: specRules },
    };
    const serves = allRules.flatMap((r) => r.flows);
    policies.push({ object, serves });
    // YAML: the header, then each rule preceded by comments naming the flows it serves.
    const head = stringify({ ...object, spec: { podSelector: { matchLabels: g.labels }, policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'] } }).trimEnd();
    const lines = [
      `# ${dir === 'ingress' ? 'Ingress to' : 'Egress from'} ${[...g.workloads].sort().map((w) => `${g.namespace}/${w}`).join(', ')} — least privilege from ${serves.length} observed flow(s)`,
      head,
      `  ${dir}:`,
    ];
    allRules.forEach((r, i) => {
      if (r === dnsRule) lines.push('    # DNS to kube-dns stays allowed when egress is restricted');
      for (const f of r.flows) lines.push(`    # serves: ${f}`);
      const item = stringify([specRules[i]]).trimEnd().split('\n').map((l) => `    ${l}`);
      lines.push(...item);
    });
    texts.push(lines.join('\n'));
  };

  const sortGroups = (m: Map<Group, Map<string, RuleAcc>>) => [...m.keys()].sort((a, b) => `${a.namespace}/${[...a.workloads][0]}`.localeCompare(`${b.namespace}/${[...b.workloads][0]}`));
  for (const g of sortGroups(ingress)) emit(g, 'ingress', [...ingress.get(g)!.values()]);
  const egressGroups = new Set([...egress.keys(), ...dnsServed.keys()]);
  for (const g of [...egressGroups].sort((a, b) => `${a.namespace}/${[...a.workloads][0]}`.localeCompare(`${b.namespace}/${[...b.workloads][0]}`))) {
    const dnsPeer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dns.namespace } }, podSelector: { matchLabels: dns.podLabels } };
    const served = [...(dnsServed.get(g)?.values() ?? [])].flatMap((r) => r.flows);
    const dnsRule: RuleAcc = {
      peer: dnsPeer,
      ports: new Map([
        ['UDP/53', { protocol: 'UDP', port: 53 }],
        ['TCP/53', { protocol: 'TCP', port: 53 }],
      ]),
      flows: served,
    };
    emit(g, 'egress', [...(egress.get(g)?.values() ?? [])], dnsRule);
  }
  return { policies, yaml: texts.join('\n---\n') + (texts.length ? '\n' : ''), warnings: [...new Set(warnings)] };
}
