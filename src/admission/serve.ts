/**
 * Assembling a running webhook from a config file and certificate files: the library entry point behind
 * `kubeguard admission serve` (the CLI only parses flags and wires process signals).
 */
import { readFileSync } from 'node:fs';
import type { Rule } from '../core/rule.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { KubeguardConfig } from '../engine/config.js';
import type { GateProviders } from './gates/from-config.js';
import { cosignVerifier } from './gates/cosign.js';
import { registryDigestResolver } from './registry-digest.js';
import { parseAdmissionConfig } from './schema.js';
import { buildPolicy } from './policy.js';
import type { AdmissionPolicy } from './policy.js';
import type { Logger } from './server/log.js';
import { createMetrics } from './server/metrics.js';
import type { AdmissionServer } from './server/server.js';
import { createAdmissionServer } from './server/server.js';
import type { CertFiles, TlsPair } from './server/tls-files.js';

export interface WebhookOptions {
  config: KubeguardConfig;
  configFile?: string;
  catalog: readonly Rule[];
  tls: CertFiles | TlsPair;
  host?: string;
  port?: number;
  logger: Logger;
  providers?: GateProviders;
  shutdownDelayMs?: number;
  shutdownGraceMs?: number;
}

export interface Webhook extends AdmissionServer {
  policy: AdmissionPolicy;
}

/** Signature keys may be given as PEM text or as files; the gate gets PEM text. */
function withKeyFiles(config: KubeguardConfig, file?: string): KubeguardConfig {
  const settings = parseAdmissionConfig(config.admission, file);
  const signature = settings.images?.signature;
  if (!signature) return config;
  const keys = signature.keys.map((k) => {
    if (k.includes('-----BEGIN')) return k;
    try {
      return readFileSync(k, 'utf8');
    } catch (e) {
      throw new ConfigError(`admission.images.signature: cannot read key file ${k}: ${errorMessage(e)}`, file, { cause: e });
    }
  });
  return { ...config, admission: { ...settings, images: { ...settings.images, signature: { ...signature, keys } } } };
}

export function createWebhook(options: WebhookOptions): Webhook {
  let cosign: ReturnType<typeof cosignVerifier> | undefined; // created on first use: no registry client unless a signature gate runs
  let digests: ReturnType<typeof registryDigestResolver> | undefined;
  const providers: GateProviders = {
    verifySignature: (image, keys, signal) => (cosign ??= cosignVerifier())(image, keys, signal),
    resolveDigest: (image, signal) => (digests ??= registryDigestResolver())(image, signal),
    ...options.providers,
  };
  const policy = buildPolicy({ config: withKeyFiles(options.config, options.configFile), catalog: options.catalog, providers, ...(options.configFile !== undefined && { file: options.configFile }) });
  const metrics = createMetrics();
  const server = createAdmissionServer({
    tls: options.tls,
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: options.port }),
    deps: { policy: () => policy, logger: options.logger, metrics },
    ...(options.shutdownDelayMs !== undefined && { shutdownDelayMs: options.shutdownDelayMs }),
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceMs: options.shutdownGraceMs }),
  });
  options.logger.info('admission policy loaded', {
    rules: policy.rules.length,
    enforceAtOrAbove: policy.enforceAtOrAbove,
    failureMode: policy.failureMode,
    budgetMs: policy.budgetMs,
    gates: policy.gates.map((g) => g.name),
    mutate: policy.settings.mutate?.enabled === true,
    ...(options.configFile !== undefined && { configFile: options.configFile }),
  });
  return Object.assign(server, { policy });
}
