import { defineRule } from '../../../core/rule.js';
import { containerLabel } from '../containers.js';
import { containerImages } from '../images.js';
import { registryAllowed } from '../registry-allowlist.js';

export interface RegistryOptions extends Record<string, unknown> {
  allowedRegistries?: string[];
}

/**
 * Without a configured allowlist the rule stays quiet: "which registries are trusted" is site policy, not data
 * missing from the object, so reporting every image (or "could not evaluate" on every workload, which would turn
 * every scan incomplete) would be noise. Configure `allowedRegistries` to turn it on.
 */
export default defineRule({
  id: 'image-registry-not-allowed',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['restrict-image-registries'],
  title: 'Image comes from a registry outside the allowlist',
  description:
    'Pulling from arbitrary registries lets a typo-squatted or compromised image into the cluster. With the ' +
    '`allowedRegistries` option set (prefixes such as "registry.example.com/team" or globs such as "*.gcr.io/*"), ' +
    'every container image (init and ephemeral included) must match an entry. The rule is inert until the option is configured.',
  category: 'workload',
  severity: 'high',
  severityReason: 'an image from outside the registries the site trusts; only reported when an allowlist is configured',
  kinds: 'pod-bearing',
  messages: { notAllowed: '{{container}} image "{{image}}" is not from an allowed registry ({{allowed}})' },
  remediation: 'Mirror the image into an allowed registry and reference it from there, or extend allowedRegistries deliberately.',
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/',
    'https://kyverno.io/policies/best-practices/restrict-image-registries/restrict-image-registries/',
  ],
  compliance: { cis: ['5.5.1'], nsa: ['Pod security: building secure container images'], mitre: ['T1204.003', 'T1525'] },
  optionsSchema: {
    type: 'object',
    properties: { allowedRegistries: { type: 'array', items: { type: 'string', minLength: 1 } } },
    additionalProperties: false,
  },
  defaultOptions: {},
  check(ctx, resource, options: RegistryOptions) {
    const allowed = options.allowedRegistries;
    if (!Array.isArray(allowed) || allowed.length === 0) return;
    for (const { container, image, path } of containerImages(resource.object)) {
      if (registryAllowed(image, allowed)) continue;
      ctx.report({ messageId: 'notAllowed', path, data: { container: containerLabel(container), image: image.raw, allowed: allowed.join(', ') } });
    }
  },
});
