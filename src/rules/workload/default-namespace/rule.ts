import { defineRule } from '../../../core/rule.js';

/**
 * Pod-bearing objects placed in the "default" namespace, explicitly or by omission (a manifest without a namespace
 * lands in the namespace of the kubectl context, "default" unless configured otherwise).
 */
export default defineRule({
  id: 'default-namespace',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['disallow-default-namespace'],
  title: 'Workload in the default namespace',
  description:
    'The default namespace is where everything without a home ends up: it rarely has NetworkPolicies, quotas or ' +
    'Pod Security labels, and RBAC granted there reaches unrelated workloads. Put workloads in dedicated namespaces. ' +
    'Manifests without metadata.namespace are reported too, because they land in "default" unless the deployer says otherwise.',
  category: 'workload',
  severity: 'low',
  severityReason: 'a placement habit: default rarely has policies, but nothing is exposed by itself',
  kinds: 'pod-bearing',
  messages: {
    explicit: '{{kind}} "{{name}}" is in the default namespace',
    unset: '{{kind}} "{{name}}" sets no namespace and will be created in "default" unless one is given at deploy time',
  },
  remediation: 'Set metadata.namespace to a dedicated namespace (or set it through kustomize/helm) and create that namespace with its policies.',
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
  compliance: { cis: ['5.7.1', '5.7.4'], nsa: ['Network separation and hardening: namespaces'] },
  check(ctx, resource) {
    const ns = resource.object.metadata?.namespace;
    const data = { kind: resource.ref.kind, name: resource.ref.name };
    if (ns === 'default') ctx.report({ messageId: 'explicit', path: '/metadata/namespace', data });
    else if (typeof ns !== 'string' || ns === '') ctx.report({ messageId: 'unset', path: '/metadata/namespace', data });
  },
});
