import { isReferenceValue } from '../../../core/secrets/index.js';
import { defineRule } from '../../../core/rule.js';
import { isJsonMap as isMap } from '../../../core/json.js';

/** Keys of a data/stringData map that carry a real value (not empty, not a ${VAR} / {{ }} placeholder). */
function filledKeys(block: unknown): string[] {
  if (!isMap(block)) return [];
  return Object.keys(block).filter((k) => {
    const v = block[k];
    return typeof v === 'string' ? v.trim() !== '' && !isReferenceValue(v) : v !== null && v !== undefined;
  });
}

/**
 * A Secret manifest with values in data or stringData. base64 in `data` is encoding, not encryption: whoever
 * reads the repository or the rendered chart reads the secret. Key names are shown, values never.
 */
export default defineRule({
  id: 'secret-data-in-manifest',
  title: 'Secret values committed in a manifest',
  description:
    'Secret objects written with data or stringData put credentials into the manifest repository and every copy of ' +
    'it (forks, CI logs, rendered charts). Keep the values out of source control: generate the Secret from an ' +
    'external store (External Secrets Operator, Secrets Store CSI driver) or commit it encrypted (Sealed Secrets, SOPS).',
  category: 'secrets',
  severity: 'high',
  severityReason: 'a credential committed to the repository is readable by everyone with access to it, forever (history)',
  kinds: ['Secret'],
  messages: {
    values: 'Secret "{{name}}" commits {{count}} value(s) in {{field}} ({{keys}})',
  },
  remediation:
    'Remove the values from the manifest and rotate them; deliver them through an external secret store or an ' +
    'encrypted form (SealedSecret, SOPS) instead.',
  references: [
    'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
    'https://kubernetes.io/docs/concepts/configuration/secret/',
  ],
  compliance: { cis: ['5.4.2'], nsa: ['Authentication and authorization: secrets'], mitre: ['T1552.001'] },
  check(ctx, resource) {
    for (const field of ['data', 'stringData'] as const) {
      const keys = filledKeys(resource.object[field]);
      if (keys.length === 0) continue;
      const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, +${keys.length - 5} more` : '');
      ctx.report({ messageId: 'values', path: `/${field}`, data: { name: resource.ref.name, field, count: keys.length, keys: shown } });
    }
  },
});
