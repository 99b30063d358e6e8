import { isLiteralSecretValue, isSecretLikeName, redactedPair, secretValueKind } from '../../../core/secrets/index.js';
import { defineRule } from '../../../core/rule.js';
import { keyValuePairs } from '../../../core/dockerfile/index.js';
import type { DockerfileInstruction } from '../../../core/dockerfile/index.js';
import { dockerfileOf, instructionPath } from '../dockerfile-of.js';

/**
 * ENV and ARG with secret-like names or values. ENV values are stored in the image config; ARG values passed with
 * --build-arg are recorded in the image history of every RUN that follows. Docker's own build check flags the same
 * (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/), including ARGs without a default.
 */
export default defineRule({
  id: 'dockerfile-secret-in-env-arg',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['SecretsUsedInArgOrEnv'],
  title: 'Secret in ENV or ARG',
  description:
    'ENV values are part of the image configuration and visible to anyone who can pull the image (`docker inspect`); ' +
    'build arguments are recorded in the image history. Neither is a place for passwords, tokens or keys.',
  category: 'dockerfile',
  severity: 'high',
  severityReason: 'the secret is stored in the image layers and history: everyone who can pull the image has it',
  kinds: ['Dockerfile'],
  messages: {
    nameWithValue: '{{instruction}} {{name}} sets a literal value; the name suggests a secret',
    nameNoValue: 'ARG {{name}} suggests a secret: build arguments end up in the image history',
    value: '{{instruction}} {{name}} holds a value that looks like a secret ({{reason}})',
  },
  remediation:
    'Use build secrets (RUN --mount=type=secret,id=…) for build-time credentials and inject runtime secrets when the ' +
    'container starts (Kubernetes Secret volume). Rotate any credential that was committed.',
  references: [
    'https://docs.docker.com/build/building/secrets/',
    'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
  ],
  compliance: { nsa: ['Authentication and authorization: secrets'], mitre: ['T1552.001'] },
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    const visit = (ins: DockerfileInstruction, path: string) => {
      if (ins.instruction !== 'ENV' && ins.instruction !== 'ARG') return;
      for (const { key, value } of keyValuePairs(ins)) {
        const data = { instruction: ins.instruction, name: key };
        const evidence = value !== undefined ? redactedPair(key, value) : undefined;
        if (isSecretLikeName(key)) {
          if (value === undefined || value === '') {
            if (ins.instruction === 'ARG') ctx.report({ messageId: 'nameNoValue', path, data });
          } else if (isLiteralSecretValue(value)) {
            ctx.report({ messageId: 'nameWithValue', path, data, evidence });
          }
          continue;
        }
        if (value === undefined) continue;
        const reason = secretValueKind(value, { name: key });
        if (reason) ctx.report({ messageId: 'value', path, data: { ...data, reason }, evidence });
      }
    };
    df.globalArgs.forEach((ins, i) => visit(ins, `/globalArgs/${i}`));
    df.stages.forEach((s, si) => s.instructions.forEach((ins, ii) => visit(ins, instructionPath(si, ii))));
  },
});
