import { defineRule } from '../../../core/rule.js';
import { isValidDigest } from '../../../core/image-ref.js';
import { containerLabel } from '../containers.js';
import { containerImages } from '../images.js';
import { registryAllowed } from '../registry-allowlist.js';

export interface DigestOptions extends Record<string, unknown> {
  /** Repositories exempt from pinning (prefixes or globs, matched like allowedRegistries). */
  exemptRepositories?: string[];
}

/**
 * Every container image (init and ephemeral included) must carry a well-formed digest. A malformed digest
 * (e.g. a truncated sha256) pins nothing: the runtime rejects the reference or resolves something else.
 */
export default defineRule({
  id: 'image-not-pinned-by-digest',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['require-image-checksum'],
  title: 'Image is not pinned by digest',
  description:
    'Tags are mutable: whoever can push to the repository can change what a tag points to. Only a digest ' +
    '(image@sha256:…) guarantees that the image that runs is the one that was built, scanned and signed. Digests must be ' +
    'well-formed (sha256 and blake3: 64 lower-case hex characters, sha512: 128). Repositories listed in ' +
    '`exemptRepositories` are skipped.',
  category: 'workload',
  severity: 'low',
  severityReason: 'a tag can be moved by whoever can push; a supply-chain hygiene issue',
  kinds: 'pod-bearing',
  messages: {
    unpinned: '{{container}} image "{{image}}" is not pinned by digest',
    malformed: '{{container}} image "{{image}}" has a malformed digest, which pins nothing',
  },
  remediation: 'Reference images by digest (e.g. registry/app:1.4.2@sha256:<digest>); tools like Renovate keep digests current.',
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    'https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests',
  ],
  compliance: { cis: ['5.5.1'], nsa: ['Pod security: building secure container images'], mitre: ['T1525'] },
  optionsSchema: {
    type: 'object',
    properties: { exemptRepositories: { type: 'array', items: { type: 'string', minLength: 1 } } },
    additionalProperties: false,
  },
  defaultOptions: {},
  check(ctx, resource, options: DigestOptions) {
    const exempt = Array.isArray(options.exemptRepositories) ? options.exemptRepositories : [];
    for (const { container, image, path } of containerImages(resource.object)) {
      if (exempt.length > 0 && registryAllowed(image, exempt)) continue;
      const data = { container: containerLabel(container), image: image.raw };
      if (image.digest === undefined) ctx.report({ messageId: 'unpinned', path, data });
      else if (!isValidDigest(image.digest)) ctx.report({ messageId: 'malformed', path, data });
    }
  },
});
