import { defineRule } from '../../../core/rule.js';
import { dockerfileOf, stageLabel } from '../dockerfile-of.js';

/**
 * Every FROM of an external image needs a tag other than "latest" or a digest. `scratch` and FROM <earlier stage>
 * are not images. A FROM whose variable has no default cannot be judged and is reported as not evaluated.
 */
export default defineRule({
  id: 'dockerfile-base-image-latest',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['DL3006', 'DL3007'],
  title: 'Base image uses the latest tag or no tag',
  description:
    'FROM image or FROM image:latest builds on whatever the tag points to on the day of the build: builds are not ' +
    'reproducible and a compromised or broken upstream push flows straight into your image. Pin a version tag, ideally with a digest.',
  category: 'dockerfile',
  severity: 'medium',
  severityReason: 'the base changes under the same Dockerfile: builds are not reproducible and an unreviewed image can slip in',
  kinds: ['Dockerfile'],
  messages: {
    untagged: '{{stage}} builds FROM "{{image}}" without a tag (defaults to "latest")',
    latest: '{{stage}} builds FROM "{{image}}" with the mutable tag "latest"',
  },
  remediation: 'Pin the base image: FROM image:<version>@sha256:<digest>, and update it deliberately (Renovate/Dependabot).',
  references: ['https://docs.docker.com/build/building/best-practices/#from', 'https://docs.docker.com/reference/dockerfile/#from', 'https://github.com/hadolint/hadolint/wiki/DL3006', 'https://github.com/hadolint/hadolint/wiki/DL3007'],
  compliance: { nsa: ['Pod security: building secure container images'], mitre: ['T1525'] },
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    df.stages.forEach((s, i) => {
      const from = s.from;
      if (from.stage !== undefined || from.scratch) return;
      if (!from.resolved) {
        ctx.couldNotEvaluate(`FROM ${from.raw} at line ${s.instructions[0].line}: a variable in the image has no default value`);
        return;
      }
      if (from.digest !== undefined) return;
      const resolved = from.image + (from.tag !== undefined ? `:${from.tag}` : '');
      const data = { stage: stageLabel(df, i), image: resolved === from.raw ? resolved : `${resolved}" (written "${from.raw})` };
      if (from.tag === undefined) ctx.report({ messageId: 'untagged', path: `/stages/${i}/from`, data });
      else if (from.tag === 'latest') ctx.report({ messageId: 'latest', path: `/stages/${i}/from`, data });
    });
  },
});
