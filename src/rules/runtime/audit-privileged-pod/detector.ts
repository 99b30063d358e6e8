import { defineDetector } from '../../../core/detector.js';
import { allContainers, podTemplateOf } from '../../../core/podspec.js';
import { isJsonMap } from '../../../core/json.js';
import type { KubeObject } from '../../../core/model.js';
import { systemRoutine } from '../match.js';

/**
 * A pod created with a privileged container (containers, init containers, ephemeral containers — Falco's
 * any_container_privileged), judged on the audited request object with the same pod-spec walk the posture rules
 * use. A pod that explicitly runs as root (runAsUser 0, runAsNonRoot false; Panther counts it) is reported at
 * medium severity. Refused requests and control-plane identities in system namespaces are not reported.
 */
export default defineDetector({
  id: 'audit-privileged-pod',
  title: 'Privileged pod created',
  description:
    'A pod was created (or given an ephemeral container) with a privileged container, which has every capability and ' +
    'all host devices and is one step from the node; or with a container explicitly set to run as root. Judged on the ' +
    'audit log\'s request object, so it needs audit level Request or RequestResponse for pods.',
  category: 'runtime',
  severity: 'high',
  events: ['k8s.api'],
  messages: {
    privileged: '{{user}} created pod {{namespace}}/{{pod}} with privileged container {{container}}',
    root: '{{user}} created pod {{namespace}}/{{pod}} with container {{container}} explicitly running as root',
  },
  remediation:
    'Enforce Pod Security Admission at baseline (privileged) or restricted (root) on the namespace, or the admission ' +
    'webhook\'s pss rules; grant privilege only to node agents in their own namespace, with a recorded exception.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  compliance: { mitre: ['T1610', 'T1611'] },
  covers: { falco: ['Create Privileged Pod'], panther: ['Kubernetes.Pod.Privileged.Created'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'k8s.api') return;
      const a = e.api;
      const r = a.resource;
      if (r?.resource !== 'pods' || (r.group ?? '') !== '') return;
      const create = a.verb === 'create' && !r.subresource;
      const debug = r.subresource === 'ephemeralcontainers' && (a.verb === 'update' || a.verb === 'patch');
      if (!create && !debug) return;
      if ((a.code !== undefined && a.code >= 400) || systemRoutine(a) || !a.requestObject) return;
      const object: KubeObject = { ...a.requestObject, kind: 'Pod' };
      const t = podTemplateOf(object);
      if (!t) return;
      const podRoot = isJsonMap(t.spec.securityContext) && (t.spec.securityContext.runAsUser === 0 || t.spec.securityContext.runAsNonRoot === false);
      const pod = r.name ?? (isJsonMap(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : (object.metadata?.generateName ?? '?'));
      const data = { user: a.user.username, namespace: r.namespace ?? '?', pod, container: '' };
      const containers = allContainers(t.spec, t.specPath).filter((c) => !debug || c.kind === 'ephemeralContainers');
      const privileged = containers.find((c) => c.container.securityContext?.privileged === true);
      if (privileged) return ctx.report({ messageId: 'privileged', data: { ...data, container: privileged.container.name ?? '?' } });
      const root = containers.find((c) => {
        const sc = c.container.securityContext;
        const user = sc?.runAsUser ?? (podRoot ? 0 : undefined);
        return user === 0 || sc?.runAsNonRoot === false || (podRoot && sc?.runAsNonRoot !== true && sc?.runAsUser === undefined);
      });
      if (root) ctx.report({ messageId: 'root', data: { ...data, container: root.container.name ?? '?' }, severity: 'medium' });
    };
  },
});
