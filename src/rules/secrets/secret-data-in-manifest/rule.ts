import { findEmbeddedSecrets, isReferenceValue, isSecretLikeName, secretValueKind } from '../../../core/secrets/index.js';
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

/** Secret types whose values are credentials by definition, and the keys that hold them (undefined: every key). */
const CREDENTIAL_TYPES: Record<string, string[] | undefined> = {
  'kubernetes.io/tls': ['tls.key'],
  'kubernetes.io/dockerconfigjson': undefined,
  'kubernetes.io/dockercfg': undefined,
  'kubernetes.io/basic-auth': undefined,
  'kubernetes.io/ssh-auth': undefined,
  'kubernetes.io/service-account-token': ['token'],
  'bootstrap.kubernetes.io/token': ['token-secret'],
};

/** The text of a value: stringData as written, data decoded from base64 (undefined when it is not text). */
function textOf(field: 'data' | 'stringData', value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (field === 'stringData') return value;
  const bytes = Buffer.from(value, 'base64');
  const text = bytes.toString('utf8');
  // binary content (a keystore, a key in DER) is not readable text: it is judged a credential
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) return undefined;
  }
  return text;
}

/**
 * Whether one value is a credential: the Secret's type says so, its key is secret-like (password, token, key…),
 * its value has a secret's format (private key, vendor token, credential in a URL, high-entropy string), or it is
 * a config file assigning one. Text that is none of these is configuration (a timezone, a route tree).
 */
function isCredential(type: string, key: string, text: string | undefined): boolean {
  if (type in CREDENTIAL_TYPES) {
    const keys = CREDENTIAL_TYPES[type];
    if (!keys || keys.includes(key)) return true;
  }
  if (isSecretLikeName(key) || text === undefined) return true;
  return text.includes('\n') ? findEmbeddedSecrets(text).length > 0 : secretValueKind(text, { name: key }) !== undefined;
}

function listed(keys: string[]): string {
  return keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, +${keys.length - 5} more` : '');
}

/**
 * A Secret manifest with values in data or stringData. base64 in `data` is encoding, not encryption: whoever
 * reads the repository or the rendered chart reads the secret. Key names are shown, values never. Graded by what
 * the values hold: credentials high; configuration without any (a timezone, an alert route tree — some operators
 * read their config from Secrets) low.
 */
export default defineRule({
  id: 'secret-data-in-manifest',
  title: 'Secret values committed in a manifest',
  description:
    'Secret objects written with data or stringData put credentials into the manifest repository and every copy of ' +
    'it (forks, CI logs, rendered charts). Keep the values out of source control: generate the Secret from an ' +
    'external store (External Secrets Operator, Secrets Store CSI driver) or commit it encrypted (Sealed Secrets, SOPS). ' +
    'Values that hold no credential (by key name, type, format and the assignments inside config files) are reported low.',
  category: 'secrets',
  severity: 'high',
  severityReason: 'a credential committed to the repository is readable by everyone with access to it, forever (history); low when no value holds a credential (configuration kept in a Secret)',
  kinds: ['Secret'],
  messages: {
    credentials: 'Secret "{{name}}" commits credentials in {{field}} ({{keys}})',
    configuration: 'Secret "{{name}}" commits {{count}} value(s) in {{field}} ({{keys}}) that hold no credential: configuration',
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
    const type = typeof resource.object.type === 'string' ? resource.object.type : 'Opaque';
    for (const field of ['data', 'stringData'] as const) {
      const block = resource.object[field];
      const keys = filledKeys(block);
      if (keys.length === 0) continue;
      const credentials = keys.filter((k) => isCredential(type, k, textOf(field, (block as Record<string, unknown>)[k])));
      const data = { name: resource.ref.name, field, count: keys.length, keys: listed(credentials.length ? credentials : keys) };
      if (credentials.length) ctx.report({ messageId: 'credentials', path: `/${field}`, data });
      else ctx.report({ messageId: 'configuration', path: `/${field}`, data, severity: 'low' });
    }
  },
});
