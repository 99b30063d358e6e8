import type { Resource } from '../../../core/model.js';
import { defineRule } from '../../../core/rule.js';
import type { ResourceIndex } from '../../../core/resource-index.js';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

type Mode = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

function modeOf(pa: Resource): Mode | undefined {
  const mode = (pa.object.spec as { mtls?: { mode?: string } } | undefined)?.mtls?.mode;
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' || mode === 'UNSET' ? mode : undefined;
}

/** A namespace-wide or mesh-wide PeerAuthentication: one without a workload selector. */
function isWide(pa: Resource): boolean {
  const selector = (pa.object.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector;
  return !selector || Object.keys(selector.matchLabels ?? {}).length === 0;
}

/**
 * The Istio mTLS mode of a namespace: its namespace-wide PeerAuthentication, else the mesh-wide one in the root
 * namespace, else PERMISSIVE, Istio's default (istio.io: PeerAuthentication; "UNSET" inherits from the parent).
 */
function istioMode(namespace: string, index: ResourceIndex, rootNamespace: string): { mode: Mode; source: string } {
  const own = index.inNamespace('PeerAuthentication', namespace).filter(isWide).map((pa) => ({ pa, mode: modeOf(pa) }));
  const nsLevel = own.find((x) => x.mode && x.mode !== 'UNSET');
  if (nsLevel) return { mode: nsLevel.mode!, source: `PeerAuthentication ${namespace}/${nsLevel.pa.ref.name}` };
  const mesh = index.inNamespace('PeerAuthentication', rootNamespace).filter(isWide).map((pa) => ({ pa, mode: modeOf(pa) })).find((x) => x.mode && x.mode !== 'UNSET');
  if (mesh) return { mode: mesh.mode!, source: `mesh-wide PeerAuthentication ${rootNamespace}/${mesh.pa.ref.name}` };
  return { mode: 'PERMISSIVE', source: 'no PeerAuthentication: Istio defaults to PERMISSIVE' };
}

function istioInjected(labels: Record<string, string>): boolean {
  return labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined || labels['istio.io/dataplane-mode'] === 'ambient';
}

/**
 * Traffic between pods is plaintext unless a service mesh encrypts it. A namespace counts as covered when Linkerd
 * injects it (`linkerd.io/inject: enabled`: meshed pods always talk mTLS to each other) or when Istio injects it
 * (`istio-injection=enabled`, `istio.io/rev`, or ambient mode) and the effective PeerAuthentication is STRICT.
 * PERMISSIVE, Istio's default, still accepts plaintext.
 */
export default defineRule({
  id: 'namespace-plaintext-east-west',
  title: 'Pod-to-pod traffic in the namespace is not encrypted',
  description:
    'Without a service mesh enforcing mutual TLS, traffic between pods crosses nodes in plain text: anyone on the node ' +
    'network, or with a compromised pod and a sniffer, reads and can tamper with it.',
  category: 'cluster',
  severity: 'info',
  severityReason: 'in-cluster encryption (a mesh or CNI encryption) is a hardening choice, not a misconfigured object; informational, outside the recommended preset (strict enables it)',
  kinds: ['Namespace'],
  messages: {
    unmeshed: 'Namespace "{{name}}" runs {{count}} workload(s) outside any service mesh: east-west traffic is plaintext',
    permissive: 'Namespace "{{name}}" is in the Istio mesh but mTLS is {{mode}} ({{source}}): plaintext east-west traffic is accepted',
  },
  remediation:
    'Mesh the namespace (istio-injection=enabled or linkerd.io/inject=enabled) and, with Istio, apply a PeerAuthentication ' +
    'with mtls.mode STRICT to the namespace or mesh-wide in the root namespace.',
  references: ['https://istio.io/latest/docs/reference/config/security/peer_authentication/', 'https://linkerd.io/2/features/automatic-mtls/'],
  compliance: { nsa: ['Network separation and hardening: encrypt traffic'], mitre: ['T1557'] },
  optionsSchema: { type: 'object', properties: { istioRootNamespace: { type: 'string' } }, additionalProperties: false },
  defaultOptions: { istioRootNamespace: 'istio-system' },
  check(ctx, resource, options) {
    const name = resource.ref.name;
    if (SYSTEM_NAMESPACES.has(name)) return;
    const count = ctx.resources.podBearingIn(name).length;
    if (count === 0) return;
    const meta = resource.object.metadata ?? {};
    const labels = meta.labels ?? {};
    const annotations = meta.annotations ?? {};
    if (annotations['linkerd.io/inject'] === 'enabled') return;
    if (istioInjected(labels)) {
      const root = typeof options.istioRootNamespace === 'string' ? options.istioRootNamespace : 'istio-system';
      const { mode, source } = istioMode(name, ctx.resources, root);
      if (mode === 'STRICT') return;
      ctx.report({ messageId: 'permissive', path: '/metadata/labels', data: { name, mode, source } });
      return;
    }
    ctx.report({ messageId: 'unmeshed', path: '/metadata/labels', data: { name, count } });
  },
});
