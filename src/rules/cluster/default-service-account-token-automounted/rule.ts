import { defineRule } from '../../../core/rule.js';
import { podTemplateOf } from '../../../core/podspec.js';

/**
 * Every namespace gets a ServiceAccount "default", used by every pod that names none; unless the account sets
 * automountServiceAccountToken: false, each of those pods carries an API token (CIS 5.1.5: "default service
 * accounts are not actively used"; the remediation is to set automountServiceAccountToken: false on them).
 */
export default defineRule({
  id: 'default-service-account-token-automounted',
  title: 'Default service account mounts its token into pods',
  description:
    'The "default" ServiceAccount of a namespace is used by every pod that does not name one. When it does not set ' +
    'automountServiceAccountToken: false, all those pods get an API token they rarely need, and any permission granted ' +
    'to "default" silently reaches all of them.',
  category: 'cluster',
  severity: 'low',
  severityReason: 'the default account holds no rights unless bound; the token only becomes useful to an attacker once something grants it rights',
  kinds: ['ServiceAccount'],
  messages: {
    automounted: 'ServiceAccount "default" in namespace {{namespace}} automounts its token ({{usage}})',
  },
  remediation: 'Set automountServiceAccountToken: false on each namespace\'s "default" ServiceAccount and give workloads that call the API their own ServiceAccount.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
  compliance: { cis: ['5.1.5'], nsa: ['Pod security: protecting Pod service account tokens'], mitre: ['T1528'] },
  check(ctx, resource) {
    const sa = resource.object;
    if (resource.ref.name !== 'default' || sa.automountServiceAccountToken === false) return;
    const namespace = resource.ref.namespace ?? 'default';
    const users = ctx.resources.podBearingIn(namespace).filter((r) => {
      if (ctx.resources.templateControllerOf(r.object) !== undefined) return false;
      const t = podTemplateOf(r.object);
      const name = t?.spec.serviceAccountName ?? t?.spec.serviceAccount;
      return t !== undefined && (name === undefined || name === '' || name === 'default') && t.spec.automountServiceAccountToken !== false;
    });
    const usage = users.length === 0 ? 'no workload uses it yet' : `${users.length} workload(s) run with that token`;
    const explicit = sa.automountServiceAccountToken === true;
    ctx.report({
      messageId: 'automounted',
      path: '/automountServiceAccountToken',
      data: { namespace, usage },
      fix: [{ op: explicit ? 'replace' : 'add', path: '/automountServiceAccountToken', value: false }],
    });
  },
});
