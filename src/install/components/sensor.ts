/** The node sensor (docs/sensor.md): a DaemonSet on every node, in the host namespace of the bundle. */
import { SENSOR_HOST_EXCEPTIONS, sensorObjects } from '../../sensor/install.js';
import type { InstallComponent } from '../component.js';

export const sensorComponent: InstallComponent = {
  name: 'sensor',
  summary: 'node sensor without eBPF: process exec/exit (kernel process connector) and connections (conntrack) attributed to pods, as runtime events',
  needs: [
    'hostPID, to read every pod\'s processes in /proc; hostNetwork, because the process connector answers only in the host network namespace and conntrack events are per namespace',
    'NET_ADMIN (process connector, conntrack events), SYS_PTRACE (/proc/PID/exe of other users), DAC_READ_SEARCH (overlay upper dirs); all other capabilities dropped, not privileged, uid 0 (capabilities of another user are lost at exec)',
    'read-only hostPath mounts of /var/lib/containerd and /var/lib/containers (overlay upper dirs: drift evidence)',
    'get, list and watch on pods cluster-wide: RBAC cannot scope by node, so the sensor asks only for its node (fieldSelector spec.nodeName) but the grant covers every pod',
    'egress to DNS, the API server and the events receiver; no ingress',
  ],
  placement: 'host',
  hostExceptions: Object.entries(SENSOR_HOST_EXCEPTIONS).map(([rule, reason]) => ({ rules: [rule], reason })),
  manifests: (s) => Promise.resolve(sensorObjects({ namespace: s.namespace, image: s.image, output: '-' })),
};
