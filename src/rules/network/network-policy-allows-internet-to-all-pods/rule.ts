import { defineRule } from '../../../core/rule.js';
import { podSelectorOf } from '../policies.js';
import { isJsonMap as isRecord } from '../../../core/json.js';

function selectsAll(sel: { matchLabels?: object; matchExpressions?: unknown[] }): boolean {
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** 0.0.0.0/0 or ::/0 (any spelling of the all-addresses prefix). */
function isAllAddresses(cidr: string): boolean {
  const [addr, prefix] = cidr.trim().split('/');
  return prefix !== undefined && Number(prefix) === 0 && (addr.includes('.') || addr.includes(':'));
}

export default defineRule({
  id: 'network-policy-allows-internet-to-all-pods',
  title: 'NetworkPolicy admits the whole internet to every pod of the namespace',
  description:
    'A NetworkPolicy whose podSelector is empty (every pod of the namespace) with an ingress rule from ipBlock ' +
    '0.0.0.0/0 or ::/0 — or with no `from` at all, which matches every source — lets any address reach every pod ' +
    'wherever traffic is routed to them. NetworkPolicies are additive, so this undoes every other ingress restriction ' +
    'in the namespace.',
  category: 'network',
  severity: 'high',
  severityReason: 'a policy that admits 0.0.0.0/0 to every pod of the namespace removes the isolation it seems to provide, for the whole namespace',
  kinds: ['NetworkPolicy'],
  messages: {
    ipBlock: 'ingress rule {{rule}} admits {{cidr}}{{except}} to every pod of namespace "{{namespace}}"',
    anySource: 'ingress rule {{rule}} has no "from": it admits every source, including the internet, to every pod of namespace "{{namespace}}"',
  },
  remediation:
    'Select only the public-facing pods (e.g. podSelector: {matchLabels: {app: web}}) and admit only the ports they ' +
    'serve; keep cluster-internal sources as podSelector/namespaceSelector peers.',
  references: [
    'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/',
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
  ],
  compliance: { nsa: ['Network separation and hardening: network policies'], mitre: ['T1190', 'T1210'] },
  check(ctx, resource) {
    const obj = resource.object;
    const spec = isRecord(obj.spec) ? obj.spec : {};
    if (!selectsAll(podSelectorOf(obj))) return;
    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.map(String) : ['Ingress'];
    if (!types.includes('Ingress')) return;
    const namespace = obj.metadata?.namespace ?? 'default';
    const ingress = Array.isArray(spec.ingress) ? spec.ingress : [];
    ingress.forEach((rule, i) => {
      const r = isRecord(rule) ? rule : {};
      const from = Array.isArray(r.from) ? r.from : [];
      if (from.length === 0) {
        ctx.report({ messageId: 'anySource', path: `/spec/ingress/${i}`, data: { rule: i, namespace } });
        return;
      }
      from.forEach((peer, j) => {
        const ib = isRecord(peer) && isRecord(peer.ipBlock) ? peer.ipBlock : undefined;
        if (!ib || typeof ib.cidr !== 'string' || !isAllAddresses(ib.cidr)) return;
        const except = Array.isArray(ib.except) && ib.except.length ? ` (except ${ib.except.join(', ')})` : '';
        ctx.report({ messageId: 'ipBlock', path: `/spec/ingress/${i}/from/${j}/ipBlock/cidr`, data: { rule: i, cidr: ib.cidr, except, namespace } });
      });
    });
  },
});
