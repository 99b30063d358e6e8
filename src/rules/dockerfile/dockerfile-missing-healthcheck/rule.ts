import { defineRule } from '../../../core/rule.js';
import { finalStageChain } from '../../../core/dockerfile/index.js';
import { dockerfileOf } from '../dockerfile-of.js';

/**
 * No HEALTHCHECK in the final stage or the stages it builds on. HEALTHCHECK NONE is an explicit decision and passes.
 * Kubernetes ignores HEALTHCHECK (it uses probes), so this is informational: it matters for Docker/Compose/Swarm runs.
 */
export default defineRule({
  id: 'dockerfile-missing-healthcheck',
  title: 'Image declares no HEALTHCHECK',
  description:
    'Without a HEALTHCHECK, Docker, Compose and Swarm only notice a dead process, not a hung one. Kubernetes ignores ' +
    'HEALTHCHECK and uses liveness/readiness probes instead, hence informational.',
  category: 'dockerfile',
  severity: 'info',
  severityReason: 'operability, not security; Kubernetes probes usually replace it',
  kinds: ['Dockerfile'],
  messages: { missing: 'The final stage declares no HEALTHCHECK' },
  remediation: 'Add HEALTHCHECK CMD <command that fails when the service is unhealthy>, or HEALTHCHECK NONE to state that none applies.',
  references: ['https://docs.docker.com/reference/dockerfile/#healthcheck'],
  compliance: {},
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    const chain = finalStageChain(df);
    if (chain.some((s) => df.stages[s].instructions.some((i) => i.instruction === 'HEALTHCHECK'))) return;
    // the final image's HEALTHCHECK, which it lacks (located at the stage's FROM)
    ctx.report({ messageId: 'missing', path: `/stages/${df.stages.length - 1}/healthcheck` });
  },
});
