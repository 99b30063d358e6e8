import { defineDetector } from '../../../core/detector.js';
import { clip, execCommand } from '../match.js';

const SUBRESOURCES: Record<string, string> = { exec: 'exec', attach: 'attach', portforward: 'port-forward', ephemeralcontainers: 'an ephemeral container' };

/**
 * Falco k8saudit "Attach/Exec Pod" (exec, attach), "port-forward" and "EphemeralContainers Created" in one: somebody
 * reached into a running pod. One incident per pod's workload and user. A refused attempt is reported at low severity.
 */
export default defineDetector({
  id: 'audit-exec-attach',
  title: 'Exec, attach, port-forward or ephemeral container into a pod',
  description:
    'A user ran a command in a pod (exec), attached to a container, forwarded a port to it, or added an ephemeral ' +
    'container (kubectl debug). Each bypasses the image and the deployment pipeline; attackers with stolen credentials ' +
    'use them to reach secrets and move laterally.',
  category: 'runtime',
  severity: 'medium',
  events: ['k8s.api'],
  messages: {
    exec: '{{user}} ran {{command}} in pod {{namespace}}/{{pod}}',
    attach: '{{user}} attached to pod {{namespace}}/{{pod}}',
    portforward: '{{user}} forwarded a port to pod {{namespace}}/{{pod}}',
    ephemeral: '{{user}} added an ephemeral container to pod {{namespace}}/{{pod}}{{image}}',
    refused: '{{user}} was refused {{action}} into pod {{namespace}}/{{pod}} (HTTP {{code}})',
  },
  remediation:
    'Confirm the access was expected (a change ticket, an on-call session). Restrict pods/exec, pods/attach, ' +
    'pods/portforward and pods/ephemeralcontainers to break-glass roles, and prefer read-only debugging.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb'],
  compliance: { mitre: ['T1609', 'T1611'] },
  covers: { falco: ['Attach/Exec Pod', 'port-forward', 'EphemeralContainers Created'], panther: ['Kubernetes.Pod.Exec'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'k8s.api') return;
      const a = e.api;
      const r = a.resource;
      if (r?.resource !== 'pods' || (r.group ?? '') !== '' || !r.subresource || !(r.subresource in SUBRESOURCES)) return;
      const ephemeral = r.subresource === 'ephemeralcontainers';
      if (ephemeral ? !['update', 'patch'].includes(a.verb) : !['create', 'get'].includes(a.verb)) return;
      const data = { user: a.user.username, namespace: r.namespace ?? '?', pod: r.name ?? '?', command: '', image: '', action: SUBRESOURCES[r.subresource], code: a.code ?? 0 };
      if (a.code !== undefined && a.code >= 400) return ctx.report({ messageId: 'refused', data, severity: 'low', key: a.user.username });
      if (r.subresource === 'exec') data.command = clip(execCommand(a).join(' ') || 'a command');
      if (ephemeral) {
        const list = a.requestObject?.spec && typeof a.requestObject.spec === 'object' ? (a.requestObject.spec as { ephemeralContainers?: { image?: unknown }[] }).ephemeralContainers : undefined;
        const image = Array.isArray(list) ? list[list.length - 1]?.image : undefined;
        if (typeof image === 'string') data.image = ` (image ${image})`;
      }
      const messageId = r.subresource === 'portforward' ? 'portforward' : ephemeral ? 'ephemeral' : r.subresource;
      ctx.report({ messageId, data, key: a.user.username });
    };
  },
});
