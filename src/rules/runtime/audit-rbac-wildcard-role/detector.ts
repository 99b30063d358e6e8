import { defineDetector } from '../../../core/detector.js';
import { isJsonMap } from '../../../core/json.js';

/**
 * Falco k8saudit "ClusterRole With Wildcard Created" and Panther Kubernetes.Role.Wildcard: a Role or ClusterRole
 * created with `*` in verbs or resources (a `*` API group alone grants nothing by itself and is not reported). Both
 * upstream rules judge creation only, and so does this detector: the RBAC posture rules judge every role as it stands.
 */
export default defineDetector({
  id: 'audit-rbac-wildcard-role',
  title: 'Role with wildcard permissions created',
  description:
    'A Role or ClusterRole was created granting every verb or every resource (`*`). Wildcards grant what exists today ' +
    'and everything added later (new resources, CRDs, subresources such as pods/exec); attackers with RBAC write access ' +
    'create such roles to keep broad access.',
  category: 'runtime',
  severity: 'high',
  events: ['k8s.api'],
  messages: { wildcard: '{{user}} created {{kind}} {{name}} granting {{what}}' },
  remediation: 'List the verbs and resources the role needs; replace the role and review who is bound to it.',
  references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  compliance: { mitre: ['T1098'] },
  covers: { falco: ['ClusterRole With Wildcard Created'], panther: ['Kubernetes.Role.Wildcard'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'k8s.api') return;
      const a = e.api;
      const resource = a.resource?.resource;
      if ((resource !== 'roles' && resource !== 'clusterroles') || a.verb !== 'create') return;
      if ((a.code !== undefined && a.code >= 400) || a.user.username.startsWith('system:')) return;
      const rules = Array.isArray(a.requestObject?.rules) ? a.requestObject.rules.filter(isJsonMap) : [];
      const what = new Set<string>();
      for (const r of rules) {
        if (Array.isArray(r.verbs) && r.verbs.includes('*')) what.add('every verb');
        if (Array.isArray(r.resources) && r.resources.includes('*')) what.add('every resource');
      }
      if (what.size === 0) return;
      const meta = a.requestObject && isJsonMap(a.requestObject.metadata) ? a.requestObject.metadata : {};
      const name = a.resource?.name ?? (typeof meta.name === 'string' ? meta.name : '?');
      const kind = resource === 'roles' ? 'Role' : 'ClusterRole';
      const full = resource === 'roles' ? `${a.resource?.namespace ?? '?'}/${name}` : name;
      ctx.report({ messageId: 'wildcard', data: { user: a.user.username, kind, name: full, what: [...what].join(' and ') }, key: `${kind}/${full}` });
    };
  },
});
