import { defineRule } from '../../../core/rule.js';
import { containerLabel, isMap, podView } from '../containers.js';

/**
 * Secrets consumed through env[].valueFrom.secretKeyRef or envFrom[].secretRef. Environment variables leak into
 * child processes, crash dumps, debug endpoints and logs, and do not pick up rotation; files from a Secret volume
 * do (CIS 5.4.1 "Prefer using secrets as files over secrets as environment variables").
 */
export default defineRule({
  id: 'secret-in-env-var',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['secrets-not-from-env-vars'],
  title: 'Secret consumed as an environment variable',
  description:
    'A Secret exposed through environment variables is visible to every process of the container and its children, ' +
    'often ends up in logs and crash reports, and is not updated when the Secret rotates. Secret volumes avoid all three.',
  category: 'workload',
  severity: 'info',
  severityReason: 'environment variables leak into logs and child processes more easily than files; a practice, not an exposure',
  kinds: 'pod-bearing',
  messages: {
    keyRef: '{{container}} reads Secret "{{secret}}" into environment variable {{name}}',
    envFrom: '{{container}} imports every key of Secret "{{secret}}" as environment variables (envFrom)',
  },
  remediation: 'Mount the Secret as a volume (optionally with items and a restrictive defaultMode) and read the file.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod',
    'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
  ],
  compliance: { cis: ['5.4.1'], nsa: ['Authentication and authorization: secrets'], mitre: ['T1552.007'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    for (const c of pod.containers) {
      const container = containerLabel(c);
      if (Array.isArray(c.container.env)) {
        c.container.env.forEach((e, i) => {
          const ref = isMap(e) && isMap(e.valueFrom) ? e.valueFrom.secretKeyRef : undefined;
          if (!isMap(ref)) return;
          ctx.report({
            messageId: 'keyRef',
            path: `${c.path}/env/${i}/valueFrom/secretKeyRef`,
            data: { container, name: String(e.name ?? ''), secret: String(ref.name ?? '') },
          });
        });
      }
      const envFrom = c.container.envFrom;
      if (Array.isArray(envFrom)) {
        envFrom.forEach((e, i) => {
          if (!isMap(e) || !isMap(e.secretRef)) return;
          ctx.report({ messageId: 'envFrom', path: `${c.path}/envFrom/${i}/secretRef`, data: { container, secret: String(e.secretRef.name ?? '') } });
        });
      }
    }
  },
});
