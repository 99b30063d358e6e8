/**
 * Assembling a running webhook from a config file and certificate files: the library entry point behind
 * `kubeguard admission serve` (the CLI only parses flags and wires process signals).
 */
import type { Rule } from '../core/rule.js';
import type { KubeguardConfig } from '../engine/config.js';
import type { GateProviders } from './gates/from-config.js';
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

export function createWebhook(options: WebhookOptions): Webhook {
  const policy = buildPolicy({ config: options.config, catalog: options.catalog, ...(options.providers && { providers: options.providers }), ...(options.configFile !== undefined && { file: options.configFile }) });
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
