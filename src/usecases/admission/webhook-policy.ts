/**
 * The webhook's policy from its config: signature keys read from their files, the ValidatingAdmissionPolicies of
 * `admission.policies` loaded, and the image gates' providers — signature verification and digest resolution
 * loaded on first use (no registry or Sigstore code unless a gate needs it), recorded scan results opened when
 * the vulnerability gate is configured. What `admission serve` builds at start-up and on a config reload.
 */
import { dirname, isAbsolute, join } from 'node:path';
import type { Resource } from '../../core/model.js';
import type { Rule } from '../../core/rule.js';
import { ConfigError, errorMessage } from '../../core/errors.js';
import type { KubeguardConfig } from '../../engine/config.js';
import { loadPaths } from '../../sources/files/load.js';
import { resolveSignatureSettings } from '../../sources/sigstore/signature-settings.js';
import { resolveScanResultsPath } from '../../sources/scan-results/paths.js';
import type { AdmissionConfig } from './config.js';
import { DEFAULT_SCAN_RESULT_MAX_AGE_HOURS } from './config.js';
import type { GateProviders } from './gates/from-config.js';
import type { VerifySignature } from './gates/signature.js';
import type { ScanResultProviderOptions, ScanResultProviders } from './gates/scan-results.js';
import { scanResultProviders } from './gates/scan-results.js';
import type { ResolveDigest } from './pin-digests.js';
import { parseAdmissionConfig } from './schema.js';
import type { AdmissionPolicy } from './policy.js';
import { buildPolicy } from './policy.js';

export interface WebhookPolicyOptions {
  config: KubeguardConfig;
  configFile?: string;
  catalog: readonly Rule[];
  /** Gate providers to use instead of the built-in ones (tests, embedding). */
  providers?: GateProviders;
  logger: ScanResultProviderOptions['logger'];
}

export interface WebhookPolicy {
  policy: AdmissionPolicy;
  /** Closes what the providers opened (the scan-results store). */
  close(): void;
}

/** Signature keys may be given as PEM text or as files (top level and per policy); the gate gets PEM text. */
function withKeyFiles(config: KubeguardConfig, file?: string): KubeguardConfig {
  const settings = parseAdmissionConfig(config.admission, file);
  const signature = settings.images?.signature;
  if (!signature) return config;
  return { ...config, admission: { ...settings, images: { ...settings.images, signature: resolveSignatureSettings(signature, file) } } };
}

/** The built-in scan-result providers, when a vulnerability gate is configured and none was passed in. */
function scanResults(settings: AdmissionConfig, options: WebhookPolicyOptions): ScanResultProviders | undefined {
  const gate = settings.images?.vulnerabilities;
  if (!gate || options.providers?.lookupScanResult) return undefined;
  try {
    return scanResultProviders({
      path: gate.store ?? resolveScanResultsPath(),
      maxAgeMs: (gate.maxAgeHours ?? DEFAULT_SCAN_RESULT_MAX_AGE_HOURS) * 3_600_000,
      queue: gate.onMissing === 'allow-and-scan',
      logger: options.logger,
    });
  } catch (e) {
    throw new ConfigError(`admission.images.vulnerabilities: ${errorMessage(e)}`, options.configFile, { cause: e });
  }
}

/** `admission.policies`: files and folders of ValidatingAdmissionPolicies, relative to the config file. */
function policyObjects(config: KubeguardConfig, file?: string): Resource[] {
  const paths = parseAdmissionConfig(config.admission, file).policies ?? [];
  if (paths.length === 0) return [];
  const loaded = loadPaths(paths.map((p) => (isAbsolute(p) || !file ? p : join(dirname(file), p))));
  if (loaded.errors.length) throw new ConfigError(`admission.policies: ${loaded.errors.map((e) => `${e.file ?? ''}: ${e.message}`).join('; ')}`, file);
  return loaded.resources;
}

export function loadWebhookPolicy(options: WebhookPolicyOptions): WebhookPolicy {
  let cosign: Promise<VerifySignature> | undefined;
  let digests: Promise<ResolveDigest> | undefined;
  const config = withKeyFiles(options.config, options.configFile);
  const trustedRootFile = parseAdmissionConfig(config.admission, options.configFile).images?.signature?.trustedRoot;
  const results = scanResults(parseAdmissionConfig(config.admission, options.configFile), options);
  const providers: GateProviders = {
    verifySignature: async (image, requirement, signal) => (await (cosign ??= import('./gates/cosign.js').then((m) => m.cosignVerifier({ trustedRoot: trustedRootFile }))))(image, requirement, signal),
    resolveDigest: async (image, signal) => (await (digests ??= import('./registry-digest.js').then((m) => m.registryDigestResolver())))(image, signal),
    ...(results && { lookupScanResult: results.lookupScanResult, ...(results.requestScan && { requestScan: results.requestScan }) }),
    ...options.providers,
  };
  try {
    const policy = buildPolicy({ config, catalog: options.catalog, providers, policyObjects: policyObjects(config, options.configFile), ...(options.configFile !== undefined && { file: options.configFile }) });
    return { policy, close: () => results?.close() };
  } catch (e) {
    results?.close();
    throw e;
  }
}
