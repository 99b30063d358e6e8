import { defineRule } from '../../../core/rule.js';
import { containerLabel } from '../containers.js';
import { containerImages } from '../images.js';

/**
 * An image without a tag means ":latest". An image pinned by digest is immutable whatever its tag says, so
 * "name@sha256:…" and "name:latest@sha256:…" pass (the digest is what the runtime pulls).
 */
export default defineRule({
  id: 'image-tag-latest',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['tagNotSpecified', 'disallow-latest-tag'],
  title: 'Image uses the latest tag or no tag',
  description:
    'The latest tag (which is what an untagged image means) moves: two nodes can run different code under the same ' +
    'spec, rollbacks do not roll back, and what was reviewed is not what runs. Images pinned by digest pass.',
  category: 'workload',
  severity: 'medium',
  severityReason: 'what runs can change without a deployment: unreviewed code may run, and rollbacks do not roll back',
  kinds: 'pod-bearing',
  messages: {
    latest: '{{container}} uses image "{{image}}" with the mutable tag "latest"',
    untagged: '{{container}} uses image "{{image}}" without a tag (defaults to "latest")',
  },
  remediation: 'Reference a specific version tag (better: a digest, image@sha256:<digest>) and bump it deliberately.',
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  compliance: { nsa: ['Pod security: building secure container images'], mitre: ['T1525'] },
  check(ctx, resource) {
    for (const { container, image, path } of containerImages(resource.object)) {
      if (image.digest !== undefined) continue;
      if (image.tag === undefined) ctx.report({ messageId: 'untagged', path, data: { container: containerLabel(container), image: image.raw } });
      else if (image.tag === 'latest') ctx.report({ messageId: 'latest', path, data: { container: containerLabel(container), image: image.raw } });
    }
  },
});
