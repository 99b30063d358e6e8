import { defineRule } from '../../../core/rule.js';
import { containerLabel } from '../containers.js';
import { containerImages } from '../images.js';

export default defineRule({
  id: 'image-not-pinned-by-digest',
  title: 'Image is not pinned by digest',
  description:
    'Tags are mutable: whoever can push to the repository can change what a tag points to. Only a digest ' +
    '(image@sha256:…) guarantees that the image that runs is the one that was built, scanned and signed.',
  category: 'workload',
  severity: 'low',
  kinds: 'pod-bearing',
  messages: { unpinned: '{{container}} image "{{image}}" is not pinned by digest' },
  remediation: 'Reference images by digest (e.g. registry/app:1.4.2@sha256:…); tools like Renovate keep digests current.',
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    'https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests',
  ],
  compliance: { cis: ['5.5.1'], nsa: ['Pod security: building secure container images'], mitre: ['T1525'] },
  check(ctx, resource) {
    for (const { container, image, path } of containerImages(resource.object)) {
      if (image.digest === undefined) ctx.report({ messageId: 'unpinned', path, data: { container: containerLabel(container), image: image.raw } });
    }
  },
});
