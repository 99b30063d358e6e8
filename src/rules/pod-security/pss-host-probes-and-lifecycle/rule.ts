import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-host-probes-and-lifecycle',
  checkId: 'hostProbesAndHostLifecycle',
  upstreamFile: 'check_hostProbesAndhostLifecycle.go',
  title: 'Probe or lifecycle handler aimed at another host',
  description:
    'Probes and lifecycle handlers are executed by the kubelet from the node. Setting httpGet.host or tcpSocket.host ' +
    'lets a pod make the kubelet reach arbitrary addresses (server-side request forgery from the node). Pod Security ' +
    'Standards baseline forbids a non-empty host in liveness/readiness/startup probes and postStart/preStop handlers ' +
    'from policy v1.34.',
  severity: 'low',
  severityReason: 'a probe or hook aimed at another host makes the kubelet send requests there: a limited SSRF',
  remediation: 'Remove the host field so the probe or handler targets the pod\'s own IP.',
  compliance: { nsa: ['Pod security'] },
});
