import { isWindowsPod } from '../../../core/podspec.js';
import { defineRule } from '../../../core/rule.js';
import { containerLabel, isMap, podView } from '../containers.js';

function capNames(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.toUpperCase().replace(/^CAP_/, '')) : [];
}

/**
 * NET_RAW is in the default capability set of container runtimes (Docker, containerd, CRI-O) and allows raw and
 * packet sockets: ARP/DNS spoofing inside the node network, and several kernel exploits. It is removed by dropping
 * NET_RAW (or CAP_NET_RAW, case-insensitive) or ALL, unless it is added back. Windows pods have no Linux capabilities.
 */
export default defineRule({
  id: 'net-raw-not-dropped',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['require-drop-cap-net-raw'],
  title: 'Container keeps the NET_RAW capability',
  description:
    'NET_RAW is granted by default and lets a container craft raw packets (ARP and DNS spoofing against neighbours, ' +
    'and the basis of several container-escape CVEs). Drop it, or drop ALL capabilities.',
  category: 'workload',
  severity: 'medium',
  severityReason: 'raw sockets allow spoofing inside the node network and underlie several escape CVEs',
  kinds: 'pod-bearing',
  messages: {
    notDropped: '{{container}} does not drop NET_RAW (securityContext.capabilities.drop lacks NET_RAW or ALL)',
    added: '{{container}} adds NET_RAW back in securityContext.capabilities.add',
  },
  remediation: 'Set securityContext.capabilities.drop: ["ALL"] (and add back only what the application needs), or at least drop NET_RAW.',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container',
    'https://man7.org/linux/man-pages/man7/capabilities.7.html',
  ],
  compliance: { cis: ['5.2.8'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1557'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod || isWindowsPod(pod.template.spec)) return;
    for (const c of pod.containers) {
      const sc = c.container.securityContext;
      const caps = isMap(sc) && isMap(sc.capabilities) ? sc.capabilities : undefined;
      const added = capNames(caps?.add);
      if (added.includes('NET_RAW') || added.includes('ALL')) {
        ctx.report({ messageId: 'added', path: `${c.path}/securityContext/capabilities/add`, data: { container: containerLabel(c) } });
        continue;
      }
      const dropped = capNames(caps?.drop);
      if (dropped.includes('NET_RAW') || dropped.includes('ALL')) continue;
      // the drop list, where the fix goes (PSS restricted's "drop ALL" judges the same field)
      ctx.report({ messageId: 'notDropped', path: `${c.path}/securityContext/capabilities/drop`, data: { container: containerLabel(c) } });
    }
  },
});
