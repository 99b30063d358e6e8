import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-host-namespaces',
  checkId: 'hostNamespaces',
  upstreamFile: 'check_hostNamespaces.go',
  title: 'Host namespaces shared with the pod',
  description:
    'hostNetwork, hostPID and hostIPC put the pod in the node\'s network, process or IPC namespace: it can sniff ' +
    'node traffic, reach services bound to localhost, see and signal every process on the node. Pod Security ' +
    'Standards baseline forbids all three.',
  severity: 'high',
  severityReason: 'sharing the node\'s network, PID or IPC namespace exposes node traffic, processes and their secrets to the container',
  remediation: 'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false).',
  compliance: { cis: ['5.2.3', '5.2.4', '5.2.5'], nsa: ['Pod security'], mitre: ['T1611'] },
});
