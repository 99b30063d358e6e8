import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-host-ports',
  checkId: 'hostPorts',
  upstreamFile: 'check_hostPorts.go',
  title: 'Host ports',
  description:
    'A hostPort binds a container port on the node\'s own network interfaces, bypassing Services and often ' +
    'NetworkPolicy, and pins the pod to nodes where the port is free. Pod Security Standards baseline forbids any ' +
    'non-zero hostPort.',
  severity: 'medium',
  severityReason: 'the pod listens on the node\'s address, bypassing Service and NetworkPolicy assumptions',
  remediation: 'Remove ports[].hostPort and expose the workload through a Service (ClusterIP, NodePort or LoadBalancer).',
  compliance: { cis: ['5.2.13'], nsa: ['Pod security'] },
});
