/**
 * Assembling a running webhook from a config file and certificate files: the library entry point behind
 * `kubeguard admission serve` (the CLI only parses flags and wires process signals).
 */
import type { Rule } from '../core/rule.js';
import type { KubeguardConfig } from '../engine/config.js';
import type { GateProviders } from '../usecases/admission/gates/from-config.js';
import type { AdmissionPolicy } from '../usecases/admission/policy.js';
import { loadWebhookPolicy } from '../usecases/admission/webhook-policy.js';
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

export function createWebhook(options: WebhookOptions): Webhook {
  const loaded = loadWebhookPolicy({ config: options.config, configFile: options.configFile, catalog: options.catalog, providers: options.providers, logger: options.logger });
  const { policy } = loaded;
  let server: AdmissionServer;
  const metrics = createMetrics();
  // requests read the policy with the server's exceptions of the moment appended to the config's
  let effective = policy;
  const fromServer = options.serverExceptions;
  const poller = fromServer && pollServerExceptions(fromServer.source, { cluster: fromServer.cluster, ...(fromServer.intervalMs !== undefined && { intervalMs: fromServer.intervalMs }), logger: options.logger, metrics, onChange: (ex) => (effective = { ...policy, exceptions: [...policy.exceptions, ...ex] }) });
  try {
    server = createAdmissionServer({
      tls: options.tls,
      ...(options.host !== undefined && { host: options.host }),
      ...(options.port !== undefined && { port: options.port }),
      deps: { policy: () => effective, logger: options.logger, metrics },
      ...(options.shutdownDelayMs !== undefined && { shutdownDelayMs: options.shutdownDelayMs }),
      ...(options.shutdownGraceMs !== undefined && { shutdownGraceMs: options.shutdownGraceMs }),
    });
  } catch (e) {
    loaded.close();
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
      loaded.close();
    },
  });
}
