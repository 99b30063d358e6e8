import { defineRule } from '../../../core/rule.js';

/** Admission webhooks of policy engines, image verifiers and security products, by name, label or service. */
export const SECURITY_TOOL_PATTERN =
  'kyverno|gatekeeper|opa|kubewarden|polaris|kubeguard|datree|jspolicy|kubescape|neuvector|falco|sysdig|aqua|twistlock|prisma|' +
  'stackrox|trivy|starboard|connaisseur|ratify|sigstore|cosign|policy|security|pod-security|image-?verif|admission-controller';

interface Webhook {
  name?: string;
  failurePolicy?: string;
  timeoutSeconds?: number;
  clientConfig?: { service?: { name?: string; namespace?: string }; url?: string };
}

/**
 * A security webhook with failurePolicy: Ignore fails open: whenever it is down, slow or unreachable, the API
 * server admits what it would have rejected, and an attacker who can crash or delay it disables the control. With
 * no timeoutSeconds the API server waits the default (10 s in admissionregistration/v1, 30 s in v1beta1) on every
 * matching request. (kubernetes.io: Dynamic Admission Control, failure policy and timeouts.)
 */
export default defineRule({
  id: 'webhook-fail-open',
  title: 'Security admission webhook fails open or has no timeout',
  description:
    'Admission webhooks of policy and security tools are controls: with failurePolicy Ignore they stop applying whenever the ' +
    'webhook is unavailable; without an explicit timeoutSeconds, a slow webhook holds every matching request for the default timeout.',
  category: 'cluster',
  severity: 'high',
  severityReason: 'when the webhook is down or slow, what it should have rejected is admitted; an attacker can often make it slow',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  messages: {
    ignore: 'Webhook "{{webhook}}" of {{config}} has failurePolicy: Ignore: its checks are skipped whenever it is unavailable',
    noTimeout: 'Webhook "{{webhook}}" of {{config}} sets no timeoutSeconds (the API server default applies)',
  },
  remediation:
    'Set failurePolicy: Fail on security webhooks (run them with several replicas and a PodDisruptionBudget, and exclude ' +
    'kube-system with a namespaceSelector so the cluster can recover), and set timeoutSeconds explicitly (a few seconds).',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy', 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#timeouts'],
  compliance: { mitre: ['T1562.001'] },
  optionsSchema: { type: 'object', properties: { securityToolPattern: { type: 'string' } }, additionalProperties: false },
  defaultOptions: { securityToolPattern: SECURITY_TOOL_PATTERN },
  check(ctx, resource, options) {
    const pattern = new RegExp(typeof options.securityToolPattern === 'string' ? options.securityToolPattern : SECURITY_TOOL_PATTERN, 'i');
    const obj = resource.object;
    const labels = Object.values(obj.metadata?.labels ?? {});
    const configIsTool = pattern.test(resource.ref.name) || labels.some((l) => pattern.test(l));
    const webhooks = Array.isArray(obj.webhooks) ? (obj.webhooks as Webhook[]) : [];
    const config = `${obj.kind} "${resource.ref.name}"`;
    webhooks.forEach((w, i) => {
      const svc = w?.clientConfig?.service;
      const isTool = configIsTool || [w?.name, svc?.name, svc?.namespace, w?.clientConfig?.url].some((s) => typeof s === 'string' && pattern.test(s));
      if (!isTool) return;
      const data = { webhook: w.name ?? `#${i}`, config };
      if (w.failurePolicy === 'Ignore') ctx.report({ messageId: 'ignore', path: `/webhooks/${i}/failurePolicy`, data, fix: [{ op: 'replace', path: `/webhooks/${i}/failurePolicy`, value: 'Fail' }] });
      if (w.timeoutSeconds === undefined) ctx.report({ messageId: 'noTimeout', path: `/webhooks/${i}`, data, fix: [{ op: 'add', path: `/webhooks/${i}/timeoutSeconds`, value: 5 }] });
    });
  },
});
