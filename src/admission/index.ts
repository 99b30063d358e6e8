/**
 * The admission webhook as a library (see docs/admission.md):
 * - createWebhook(options) — a ready HTTPS server (validate, mutate, health, metrics) from a config;
 * - buildPolicy + decide + toResponse — one decision without a server (what the server does per request);
 * - handleAdmission — body text in, HTTP status and JSON out (transport-independent);
 * - installManifests / renderManifests — what `kubeguard admission install` prints;
 * - ImageGate — the interface of image gates (registries, digests, signatures, scan results);
 * - scanResultProviders — the scan-result gate's lookups on the store `image scan --record` writes.
 */
export type { AdmissionConfig, FailureMode, ImageGateSettings, MutateSettings, NamespaceModeSetting } from '../usecases/admission/config.js';
export { ADMISSION_SCHEMA, parseAdmissionConfig } from '../usecases/admission/schema.js';
export type { AdmissionPolicy, PolicyInput } from '../usecases/admission/policy.js';
export { buildPolicy } from '../usecases/admission/policy.js';
export type { Decision, DecisionReason, Violation } from '../usecases/admission/decide.js';
export { admittedResource, decide } from '../usecases/admission/decide.js';
export { toResponse } from './respond.js';
export type { AdmissionRequest, AdmissionResponse, AdmissionReviewReply, ParsedReview } from '../usecases/admission/review.js';
export { BadReviewError, parseReview } from '../usecases/admission/review.js';
export { safeDefaultsPatch } from '../usecases/admission/mutate.js';
export type { ResolveDigest } from '../usecases/admission/pin-digests.js';
export { pinDigestsPatch } from '../usecases/admission/pin-digests.js';
export type { GateContext, GateImage, GateResult, GateViolation, ImageGate } from '../usecases/admission/gates/types.js';
export type { GateProviders } from '../usecases/admission/gates/from-config.js';
export type { SignatureVerdict, VerifySignature } from '../usecases/admission/gates/signature.js';
export type { ScanResult, ScanResultLookup } from '../usecases/admission/gates/vulnerabilities.js';
export type { ScanResultProviderOptions, ScanResultProviders } from '../usecases/admission/gates/scan-results.js';
export { scanResultProviders } from '../usecases/admission/gates/scan-results.js';
export type { Endpoint, HandlerDeps, HandlerReply } from './server/handler.js';
export { handleAdmission } from './server/handler.js';
export type { Webhook, WebhookOptions } from './serve.js';
export { createWebhook } from './serve.js';
export type { InstallOptions } from './install/manifests.js';
export { installManifests, renderManifests } from './install/manifests.js';
export { issueCertificates, serviceDnsNames } from './tls/certificates.js';
