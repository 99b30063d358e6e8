/**
 * JSON schema of the `admission:` section (the fragment merged into schema/kubeguard.schema.json). Data only:
 * scripts/gen-validators.ts compiles it ahead of time, so nothing here may import the generated validators.
 */
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
    policies: stringList,
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
          additionalProperties: false,
          anyOf: [{ required: ['keys'] }, { required: ['policies'] }],
          properties: {
            keys: { ...stringList, minItems: 1 },
            trustedRoot: { type: 'string', minLength: 1 },
            policies: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['images'],
                additionalProperties: false,
                properties: {
                  images: { ...stringList, minItems: 1 },
                  namespaces: { ...stringList, minItems: 1 },
                  keys: { ...stringList, minItems: 1 },
                  identity: { type: 'string', minLength: 1 },
                  identityRegExp: { type: 'string', minLength: 1 },
                  issuer: { type: 'string', minLength: 1 },
                  issuerRegExp: { type: 'string', minLength: 1 },
                  attestations: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['predicateType'],
                      additionalProperties: false,
                      properties: {
                        predicateType: { type: 'string', minLength: 1 },
                        builderId: { type: 'string', minLength: 1 },
                        buildType: { type: 'string', minLength: 1 },
                        sourceRepository: { type: 'string', minLength: 1 },
                        sourceRef: { type: 'string', minLength: 1 },
                        // vulnerability-scan attestations (cosign vuln/v1)
                        maxAgeHours: { type: 'number', exclusiveMinimum: 0 },
                        failOn: severity,
                        scanner: { type: 'string', minLength: 1 },
                      },
                    },
                  },
                },
              },
            },
          },
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
