/**
 * Assembling a running webhook from a config file and certificate files: the library entry point behind
 * `kubeguard admission serve` (the CLI only parses flags and wires process signals).
 */
import { dirname, isAbsolute, join } from 'node:path';
import type { Resource } from '../core/model.js';
import { loadPaths } from '../sources/files/load.js';
import type { Rule } from '../core/rule.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { resolveSignatureSettings } from '../sources/sigstore/signature-settings.js';
import type { KubeguardConfig } from '../engine/config.js';
import { resolveScanResultsPath } from '../sources/scan-results/paths.js';
import type { AdmissionConfig } from './config.js';
import { DEFAULT_SCAN_RESULT_MAX_AGE_HOURS } from './config.js';
import type { GateProviders } from './gates/from-config.js';
import type { VerifySignature } from './gates/signature.js';
import type { ScanResultProviders } from './gates/scan-results.js';
import { scanResultProviders } from './gates/scan-results.js';
import type { ResolveDigest } from './pin-digests.js';
import { parseAdmissionConfig } from './schema.js';
import { buildPolicy } from './policy.js';
import type { AdmissionPolicy } from './policy.js';
import type { Logger } from './server/log.js';
import { createMetrics } from './server/metrics.js';
import type { AdmissionServer } from './server/server.js';
import { createAdmissionServer } from './server/server.js';
import type { CertFiles, TlsPair } from './server/tls-files.js';
import type { ServerExceptions } from '../sources/upload/server-exceptions.js';
import type { ServerExceptionsPoller } from './server-exceptions.js';
import { pollServerExceptions } from './server-exceptions.js';

export interface WebhookOptions {
  config: KubeguardConfig;
  configFile?: string;
  catalog: readonly Rule[];
  tls: CertFiles | TlsPair;
  host?: string;
  port?: number;
  logger: Logger;
  /** Gate providers to use instead of the built-in ones (tests, embedding). */
  providers?: GateProviders;
  shutdownDelayMs?: number;
  shutdownGraceMs?: number;
  /** The central server's approved exceptions for this cluster, applied beside the config's. */
  serverExceptions?: { source: ServerExceptions; cluster: string; intervalMs?: number };
}

export interface Webhook extends AdmissionServer {
  policy: AdmissionPolicy;
  /** Present with `serverExceptions`: listen() awaits its first refresh, then it refreshes on its interval. */
  serverExceptions?: ServerExceptionsPoller;
}

/** Signature keys may be given as PEM text or as files (top level and per policy); the gate gets PEM text. */
function withKeyFiles(config: KubeguardConfig, file?: string): KubeguardConfig {
  const settings = parseAdmissionConfig(config.admission, file);
  const signature = settings.images?.signature;
  if (!signature) return config;
  return { ...config, admission: { ...settings, images: { ...settings.images, signature: resolveSignatureSettings(signature, file) } } };
}

/** The built-in scan-result providers, when a vulnerability gate is configured and none was passed in. */
function scanResults(settings: AdmissionConfig, options: WebhookOptions): ScanResultProviders | undefined {
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

export function createWebhook(options: WebhookOptions): Webhook {
  // The registry client and cosign code are loaded on first use: no such dependency unless a gate needs it.
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
  let policy: AdmissionPolicy;
  let server: AdmissionServer;
  const metrics = createMetrics();
  // requests read the policy with the server's exceptions of the moment appended to the config's
  let effective: AdmissionPolicy;
  const fromServer = options.serverExceptions;
  const poller = fromServer && pollServerExceptions(fromServer.source, { cluster: fromServer.cluster, ...(fromServer.intervalMs !== undefined && { intervalMs: fromServer.intervalMs }), logger: options.logger, metrics, onChange: (ex) => (effective = { ...policy, exceptions: [...policy.exceptions, ...ex] }) });
  try {
    policy = buildPolicy({ config, catalog: options.catalog, providers, policyObjects: policyObjects(config, options.configFile), ...(options.configFile !== undefined && { file: options.configFile }) });
    effective = policy;
    server = createAdmissionServer({
      tls: options.tls,
      ...(options.host !== undefined && { host: options.host }),
      ...(options.port !== undefined && { port: options.port }),
      deps: { policy: () => effective, logger: options.logger, metrics },
      ...(options.shutdownDelayMs !== undefined && { shutdownDelayMs: options.shutdownDelayMs }),
      ...(options.shutdownGraceMs !== undefined && { shutdownGraceMs: options.shutdownGraceMs }),
    });
  } catch (e) {
    results?.close();
    throw e;
  }
  options.logger.info('admission policy loaded', {
    rules: policy.rules.length,
    enforceAtOrAbove: policy.enforceAtOrAbove,
    failureMode: policy.failureMode,
    budgetMs: policy.budgetMs,
    gates: policy.gates.map((g) => g.name),
    mutate: policy.settings.mutate?.enabled === true,
    ...(options.configFile !== undefined && { configFile: options.configFile }),
  });
  const shutdown = server.shutdown.bind(server);
  const listen = server.listen.bind(server);
  return Object.assign(server, {
    policy,
    ...(poller && { serverExceptions: poller }),
    async listen() {
      if (poller) {
        await poller.refresh();
        poller.start();
      }
      return listen();
    },
    async shutdown() {
      poller?.stop();
      await shutdown();
      results?.close();
    },
  });
}
