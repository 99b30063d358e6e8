/** Pod Security Standards, evaluated exactly as k8s.io/pod-security-admission does. See README.md. */
export type { PssLevel, PssResult, PssViolation, PssField } from './types.js';
export { PSS_LEVELS } from './types.js';
export { evaluatePod, evaluateCheck, type EvaluateOptions } from './evaluate.js';
export { checksFor, effectiveCheckFor, effectiveVersion, MAX_POLICY_MINOR, ALL_CHECK_IDS, checkDefinition } from './registry.js';
export { PssVersionError, isPolicyVersion, parsePolicyVersion } from './version.js';
export { pssReport, pssSummary, type PssReportRow } from './report.js';
export { PSS_RULE_IDS, pssRuleIdFor } from './rule-ids.js';
