import { escapeToken } from '../../../core/pointer.js';
import { findEmbeddedSecrets, isLiteralSecretValue, isSecretLikeName, redact, secretValueKind } from '../../../core/secrets/index.js';
import { defineRule } from '../../../core/rule.js';
import { isJsonMap as isMap } from '../../../core/json.js';

/**
 * ConfigMap entries that hold secrets: a secret-like key with a literal value (Polaris sensitiveConfigmapContent:
 * password, token, secret, AWS_SECRET_ACCESS_KEY, …), a secret-like value (private key, vendor token, credential in
 * a URL, high-entropy string), or an embedded config file (properties, .env, YAML, JSON) assigning one.
 */
export default defineRule({
  id: 'configmap-secret-like-value',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['sensitiveConfigmapContent'],
  title: 'ConfigMap holds a secret-like value',
  description:
    'ConfigMaps are not meant for confidential data: they are readable by anyone with ConfigMap read access, are ' +
    'not encrypted at rest even when Secret encryption is configured, and are printed freely by tools.',
  category: 'secrets',
  severity: 'high',
  severityReason: 'a credential in a ConfigMap is readable by everyone who may read ConfigMaps, and is committed in clear text',
  kinds: ['ConfigMap'],
  messages: {
    key: 'ConfigMap key "{{key}}" holds a literal value; the name suggests a secret',
    value: 'ConfigMap key "{{key}}" holds a value that looks like a secret ({{reason}})',
    embedded: 'ConfigMap key "{{key}}" embeds a secret at line {{line}} of its value ({{reason}})',
  },
  remediation: 'Move the value to a Secret (or an external secret store), reference it from the workload, and rotate it.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/configmap/',
    'https://github.com/FairwindsOps/polaris/blob/master/pkg/config/checks/sensitiveConfigmapContent.yaml',
  ],
  compliance: { cis: ['5.4.1'], nsa: ['Authentication and authorization: secrets'], mitre: ['T1552.001'] },
  check(ctx, resource) {
    const data = resource.object.data;
    if (!isMap(data)) return;
    for (const [key, raw] of Object.entries(data)) {
      if (typeof raw !== 'string' || raw.trim() === '') continue;
      const path = `/data/${escapeToken(key)}`;
      const evidence = `${key}: ${redact(raw)}`;
      if (isSecretLikeName(key) && isLiteralSecretValue(raw)) {
        ctx.report({ messageId: 'key', path, data: { key }, evidence });
        continue;
      }
      if (!raw.includes('\n')) {
        const kind = secretValueKind(raw, { name: key });
        if (kind) ctx.report({ messageId: 'value', path, data: { key, reason: kind }, evidence });
        continue;
      }
      for (const s of findEmbeddedSecrets(raw)) {
        const reason = s.name !== undefined ? `"${s.name}" is assigned a literal value` : s.reason;
        ctx.report({ messageId: 'embedded', path, data: { key, line: s.line, reason }, evidence });
      }
    }
  },
});
