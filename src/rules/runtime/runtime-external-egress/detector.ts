import { defineDetector } from '../../../core/detector.js';
import { inContainer, outgoing } from '../match.js';

/**
 * A connection to an address outside the cluster's networks that the workload's locked baseline does not have —
 * by address, CIDR or the DNS name the producer attached. Without a locked baseline for the workload there is
 * nothing to compare with and the detector stays quiet (`runtime analyze` says so); learn one with
 * `kubeguard runtime baseline learn`. The cluster's networks are private and special ranges by default, or the
 * `runtime.clusterNetworks` of the config.
 */
export default defineDetector({
  id: 'runtime-external-egress',
  title: 'Connection outside the cluster not in the baseline',
  description:
    'A workload connected to an address outside the cluster\'s networks that its locked runtime baseline does not ' +
    'include. New external destinations are how data leaves and how implants reach their controllers.',
  category: 'runtime',
  severity: 'medium',
  events: ['network.connect', 'network.flow'],
  messages: { egress: '{{where}} connected to {{peer}}:{{port}}/{{protocol}}, outside the cluster and not in its baseline' },
  remediation:
    'If the destination is legitimate, add it to the baseline (learn again or edit the file) and to the workload\'s ' +
    'egress NetworkPolicy; otherwise block egress and investigate the process (see the evidence).',
  references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic'],
  compliance: { mitre: ['T1041', 'T1071'] },
  covers: { falco: ['Network Connection outside Local Subnet'] },
  create() {
    return (ctx, e) => {
      if (!outgoing(e) || !inContainer(e.workload) || e.network.dns) return;
      const d = e.network.dst;
      if (!d.ip || ctx.isClusterAddress(d.ip) || d.port === undefined) return;
      if (e.kind === 'network.flow' && e.network.verdict === 'DROPPED') return;
      const baseline = ctx.baseline(e.workload);
      if (!baseline) return;
      const n = e.network;
      if (baseline.hasPeer(d.ip, d.port, n.protocol) || (d.names ?? []).some((name) => baseline.hasPeer(name, d.port, n.protocol))) return;
      const where = `${e.workload.namespace ?? '?'}/${e.workload.owner?.name ?? e.workload.pod ?? '?'}`;
      const peer = d.names?.[0] ? `${d.names[0].replace(/\.$/, '')} (${d.ip})` : d.ip;
      ctx.report({ messageId: 'egress', data: { where, peer, port: d.port, protocol: n.protocol } });
    };
  },
});
