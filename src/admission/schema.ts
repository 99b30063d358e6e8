/**
 * JSON schema of the `admission:` section (the fragment merged into schema/kubeguard.schema.json), and its
 * validation. The webhook validates the section itself too, so it never runs on a config it misunderstands.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { ConfigError } from '../core/errors.js';
import type { AdmissionConfig } from './config.js';

const severity = { enum: ['info', 'low', 'medium', 'high', 'critical'] };
const mode = { enum: ['enforce', 'warn', 'audit'] };
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };
const labelSelector = {
  type: 'object',
  additionalProperties: false,
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        additionalProperties: false,
        properties: {
          key: { type: 'string' },
          operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: stringList,
        },
      },
    },
  },
};

export const ADMISSION_SCHEMA = {
  type: 'object',
  description: 'Admission webhook settings (see docs/admission.md).',
  additionalProperties: false,
  properties: {
    enforceAtOrAbove: severity,
    skipRules: stringList,
    namespaces: {
      type: 'array',
      items: {
        type: 'object',
        required: ['namespaces', 'mode'],
        additionalProperties: false,
        properties: { namespaces: { ...stringList, minItems: 1 }, mode, rules: { ...stringList, minItems: 1 } },
      },
    },
    exemptNamespaces: stringList,
    exemptSelector: labelSelector,
    exemptUsernames: stringList,
    budgetMs: { type: 'integer', minimum: 100, maximum: 29000 },
    failureMode: { enum: ['deny', 'allow'] },
    maxBodyBytes: { type: 'integer', minimum: 1024 },
    mutate: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        seccompRuntimeDefault: { type: 'boolean' },
        dropAllCapabilities: { type: 'boolean' },
        disallowPrivilegeEscalation: { type: 'boolean' },
        pinDigests: { type: 'boolean' },
      },
    },
    images: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedRegistries: stringList,
        requireDigest: { type: 'boolean' },
        signature: {
          type: 'object',
          required: ['keys'],
          additionalProperties: false,
          properties: { keys: { ...stringList, minItems: 1 } },
        },
        vulnerabilities: {
          type: 'object',
          required: ['failOn'],
          additionalProperties: false,
          properties: {
            failOn: severity,
            onMissing: { enum: ['deny', 'allow-and-scan'] },
            maxAgeHours: { type: 'integer', minimum: 1, maximum: 8760 },
            store: { type: 'string', minLength: 1 },
          },
        },
        mode,
      },
    },
  },
} as const;

// Compiled on first use: a config without an `admission:` section never needs it.
let compiled: ValidateFunction | undefined;

/** Validates the `admission:` section; undefined means defaults. */
export function parseAdmissionConfig(value: unknown, file?: string): AdmissionConfig {
  if (value === undefined || value === null) return {};
  const validate = (compiled ??= new Ajv({ allErrors: true }).compile(ADMISSION_SCHEMA));
  if (!validate(value)) {
    const details = (validate.errors ?? []).map((e) => `admission${e.instancePath || ''} ${e.message}`).join('; ');
    throw new ConfigError(`invalid admission settings${file ? ` in ${file}` : ''}: ${details}`, file);
  }
  return value as AdmissionConfig;
}
