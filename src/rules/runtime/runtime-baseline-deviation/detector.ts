import { defineDetector } from '../../../core/detector.js';
import { workloadFromPodName } from '../../../core/ref.js';
import { clip, commandLine, inContainer } from '../match.js';
import { processShape } from '../../../analysis/runtime/baseline.js';

/**
 * What a workload with a locked baseline does that its baseline lacks: a process (binary and argument shape), an
 * in-cluster peer (outgoing or incoming; external ones are runtime-external-egress), a DNS name, an HTTP method and
 * path. A catch-all: an event another detector reported on is not reported again. All deviations of a workload
 * within the incident window are one incident.
 */
export default defineDetector({
  id: 'runtime-baseline-deviation',
  title: 'Behaviour not in the workload\'s baseline',
  description:
    'A workload whose runtime baseline is locked did something the baseline does not include: ran a new program or ' +
    'the same program with differently shaped arguments, talked to a new peer inside the cluster, looked up a new name ' +
    'or called a new HTTP endpoint.',
  category: 'runtime',
  severity: 'medium',
  events: ['process.exec', 'network.connect', 'network.accept', 'network.flow'],
  messages: {
    process: '{{where}} ran {{process}}, which its baseline does not include: {{command}}',
    peer: '{{where}} {{direction}} {{peer}}:{{port}}/{{protocol}}, which its baseline does not include',
    dns: '{{where}} looked up {{name}}, which its baseline does not include',
    http: '{{where}} called {{method}} {{path}}, which its baseline does not include',
  },
  remediation:
    'If the behaviour is a legitimate change (a new release), learn the baseline again and review the diff before ' +
    'locking it; otherwise investigate the workload (kubeguard forensics capture).',
  references: ['https://kubernetes.io/docs/concepts/security/'],
  compliance: { mitre: ['T1059', 'T1071'] },
  fallback: 2,
  create() {
    return (ctx, e) => {
      if (!inContainer(e.workload)) return;
      const baseline = ctx.baseline(e.workload);
      if (!baseline) return;
      const where = `${e.workload.namespace ?? '?'}/${e.workload.owner?.name ?? (e.workload.pod ? workloadFromPodName(e.workload.pod) : '?')}`;
      if (e.kind === 'process.exec') {
        if (!baseline.hasProcess(e.process)) ctx.report({ messageId: 'process', data: { where, process: processShape(e.process), command: clip(commandLine(e.process)) } });
        return;
      }
      if (e.kind !== 'network.connect' && e.kind !== 'network.accept' && e.kind !== 'network.flow') return;
      const n = e.network;
      if (n.reply || n.verdict === 'DROPPED') return;
      if (n.dns) {
        if (!n.dns.response && !baseline.hasDns(n.dns.query)) ctx.report({ messageId: 'dns', data: { where, name: n.dns.query.replace(/\.$/, '') } });
        return;
      }
      if (n.http && !n.http.response && n.http.method && n.http.url) {
        if (!baseline.hasHttp(n.http.method, n.http.url)) ctx.report({ messageId: 'http', data: { where, method: n.http.method, path: clip(n.http.url, 120) } });
        return;
      }
      const incoming = e.kind === 'network.accept' || n.direction === 'ingress';
      const peer = incoming ? n.src : n.dst;
      const port = n.dst.port;
      // outside the cluster: runtime-external-egress judges outgoing ones
      if (!incoming && peer.ip && !ctx.isClusterAddress(peer.ip)) return;
      const names = [peer.namespace && (peer.workload || peer.pod) ? `${peer.namespace}/${peer.workload ?? workloadFromPodName(peer.pod!)}` : undefined, ...(peer.names ?? []), peer.ip].filter((x): x is string => Boolean(x));
      if (names.length === 0 || names.some((p) => baseline.hasPeer(p, port, n.protocol))) return;
      ctx.report({ messageId: 'peer', data: { where, direction: incoming ? 'was contacted by' : 'connected to', peer: names[0], port: port ?? '?', protocol: n.protocol } });
    };
  },
});
