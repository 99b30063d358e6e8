/**
 * Secrets inside config-file text (a ConfigMap value holding application.properties, .env, YAML or JSON):
 * `name = value`, `name: value`, `"name": "value"` assignments whose name is secret-like and whose value is a
 * literal, plus secret-like values anywhere. Reports line numbers inside the text and kinds, never values.
 */
import { isSecretLikeName } from './names.js';
import { isReferenceValue, secretValueKind } from './values.js';
import type { SecretValueKind } from './values.js';

export interface EmbeddedSecret {
  /** 1-based line inside the text. */
  line: number;
  /** The secret-like name when an assignment was recognised (names are not secrets). */
  name?: string;
  reason: 'secret-like name' | SecretValueKind;
}

// Linear-time pattern (no lazy group before trailing optional parts): the value is trimmed afterwards.
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=](.*)$/;

/** Whether an assigned value is a literal worth reporting (not empty, not a placeholder, not a nested block). */
export function isLiteralSecretValue(raw: string): boolean {
  const v = raw.replace(/^["']|["']$/g, '').trim();
  if (v === '' || v === '|' || v === '>' || v === '{' || v === '[' || v === 'null' || v === '~') return false;
  if (isReferenceValue(v)) return false;
  if (/^\$\{[^}]*\}$|^%\([^)]*\)s$|^ENC\(.*\)$/.test(v)) return false;
  return true;
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;

export function findEmbeddedSecrets(text: string): EmbeddedSecret[] {
  const out: EmbeddedSecret[] = [];
  const lines = text.split(/\r?\n/);
  let inPem = false;
  lines.forEach((line, i) => {
    // A PEM block is one unit: a private key is reported once at its BEGIN line; certificates and public keys are public.
    if (inPem) {
      if (PEM_END.test(line)) inPem = false;
      return;
    }
    const pem = PEM_BEGIN.exec(line);
    if (pem) {
      inPem = !PEM_END.test(line.slice(pem.index + pem[0].length));
      if (/PRIVATE KEY/.test(pem[1])) out.push({ line: i + 1, reason: 'private key' });
      return;
    }
    if (/^\s*[#;]/.test(line) || /^\s*\/\//.test(line)) return;
    const m = ASSIGNMENT.exec(line);
    if (m && isSecretLikeName(m[1]) && isLiteralSecretValue(m[2].trim().replace(/,$/, '').trim())) {
      out.push({ line: i + 1, name: m[1], reason: 'secret-like name' });
      return;
    }
    // the assigned name, when there is one, says whether a hex value is an identifier ("uid": "09ec8aa1…")
    const kind = secretValueKind(line, m ? { name: m[1] } : {});
    if (kind) out.push({ line: i + 1, reason: kind });
  });
  return out;
}
