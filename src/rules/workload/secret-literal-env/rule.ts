import { isLiteralSecretValue, isSecretLikeName, redactedPair, secretValueKind } from '../../../core/secrets/index.js';
import { defineRule } from '../../../core/rule.js';
import { BoundedMap } from '../../../core/bounded-map.js';
import { containerLabel, isMap, podView } from '../containers.js';

const BOOLEAN = /^(true|false|yes|no|on|off)$/i;

/**
 * Literal `env[].value`s that look like secrets, by name (Polaris sensitiveContainerEnvVar: password, token,
 * secret, …, generalised in src/core/secrets/names.ts) or by value (private keys, vendor token formats,
 * credentials in URLs, high-entropy strings). The finding names the variable and the reason, never the value.
 */
export default defineRule({
  id: 'secret-literal-env',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['sensitiveContainerEnvVar'],
  title: 'Secret passed as a literal environment variable',
  description:
    'A secret written into the pod spec is stored in plain text in the manifest repository, in etcd as part of the ' +
    'workload, in `kubectl get -o yaml` output and in every tool that reads workloads. Values referenced through ' +
    'valueFrom (secretKeyRef) are not reported here.',
  category: 'workload',
  severity: 'high',
  severityReason: 'a credential written into the pod spec is readable by everyone who can read the workload, and committed in clear text',
  kinds: 'pod-bearing',
  messages: {
    byName: '{{container}} sets {{name}} to a literal value; the name suggests a secret',
    byValue: '{{container}} sets {{name}} to a literal value that looks like a secret ({{reason}})',
  },
  remediation:
    'Move the value into a Secret (ideally managed by an external secret store) and reference it with ' +
    'valueFrom.secretKeyRef or, better, mount it as a file. Rotate the exposed credential.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables',
    'https://github.com/FairwindsOps/polaris/blob/master/pkg/config/checks/sensitiveContainerEnvVar.yaml',
  ],
  compliance: { cis: ['5.4.1', '5.4.2'], nsa: ['Authentication and authorization: secrets'], mitre: ['T1552.001'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    for (const c of pod.containers) {
      const env = c.container.env;
      if (!Array.isArray(env)) continue;
      for (let i = 0; i < env.length; i++) {
        const e: unknown = env[i];
        if (!isMap(e) || typeof e.name !== 'string' || typeof e.value !== 'string' || e.value === '') continue;
        const verdict = judge(e.name, e.value);
        if (verdict === NOT_SECRET) continue;
        const path = `${c.path}/env/${i}/value`;
        const evidence = redactedPair(e.name, e.value);
        const data = { container: containerLabel(c), name: e.name };
        if (verdict === BY_NAME) ctx.report({ messageId: 'byName', path, data, evidence });
        else ctx.report({ messageId: 'byValue', path, data: { ...data, reason: verdict }, evidence });
      }
    }
  },
});

const NOT_SECRET = '';
const BY_NAME = '\u0000name';
/**
 * Verdicts by (name, value): the same variables recur across the workloads of a scan, and the judgement is a
 * pure function of the pair (a bounded cache of short pairs).
 */
const verdicts = new BoundedMap<string, string>(50_000);

const MAX_CACHED_LENGTH = 512;

function judge(name: string, value: string): string {
  if (name.length + value.length > MAX_CACHED_LENGTH) return judgeUncached(name, value);
  const key = name.length + ':' + name + value;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const verdict = judgeUncached(name, value);
  verdicts.set(key, verdict);
  return verdict;
}

function judgeUncached(name: string, value: string): string {
  if (isSecretLikeName(name) && isLiteralSecretValue(value) && !BOOLEAN.test(value.trim())) return BY_NAME;
  return secretValueKind(value, { name }) ?? NOT_SECRET;
}
