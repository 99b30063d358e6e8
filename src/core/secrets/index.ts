/** Secret detection shared by rules: name patterns, value formats and entropy, and redaction. Pure. */
export { isSecretLikeName, nameWords } from './names.js';
export { shannonEntropy, isHighEntropyToken } from './entropy.js';
export { SECRET_FORMATS, matchSecretFormat, matchSecretFormats } from './catalogue.js';
export type { SecretFormat, SecretFormatKind } from './catalogue.js';
export { secretValueKind, isReferenceValue } from './values.js';
export type { SecretValueKind, ValueContext } from './values.js';
export { findEmbeddedSecrets, isLiteralSecretValue } from './content.js';
export type { EmbeddedSecret } from './content.js';
export { redact, redactedPair } from './redact.js';
