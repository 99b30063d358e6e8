/**
 * `kubeguard admission serve|install` — flag parsing, process signals and output only; the webhook itself is
 * the library under src/admission.
 */
import type { Command } from 'commander';
import { UsageError, errorMessage } from '../../core/errors.js';
import { longRunningToken } from '../upload.js';
import { TOOL } from '../../engine/report.js';
import { scansUrl } from '../../sources/upload/client.js';
import { ServerExceptions } from '../../sources/upload/server-exceptions.js';
import { RULES } from '../../engine/catalog.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { createWebhook } from '../../admission/serve.js';
import { createLogger } from '../../admission/server/log.js';
import type { LogLevel } from '../../admission/server/log.js';
import { intFlag, note, oneOf, writeOutput } from '../io.js';
import { DEFAULT_IMAGE } from '../../install/component.js';

interface ServeFlags {
  cert: string;
  key: string;
  port: string;
  host: string;
  config?: string;
  logLevel: string;
  shutdownDelay: string;
  shutdownGrace: string;
  exceptionsFrom?: string;
  clusterName?: string;
  tokenFile?: string;
  exceptionsRefresh: string;
  exceptionsCache?: string;
}

/** `--exceptions-from URL --cluster-name NAME`: the server's approved exceptions (token: --token-file or $KUBEGUARD_TOKEN). */
function serverExceptionsOption(flags: ServeFlags) {
  if (!flags.exceptionsFrom) {
    if (flags.clusterName || flags.tokenFile || flags.exceptionsCache) throw new UsageError('--cluster-name, --token-file and --exceptions-cache go with --exceptions-from');
    return undefined;
  }
  if (!flags.clusterName) throw new UsageError('--exceptions-from needs --cluster-name NAME');
  const token = longRunningToken(flags.tokenFile, '--exceptions-from');
  try {
    scansUrl(flags.exceptionsFrom); // checked now: an http(s) URL without credentials
  } catch (e) {
    throw new UsageError(`--exceptions-from: ${errorMessage(e).replace('--upload needs', 'needs')}`);
  }
  const source = new ServerExceptions({ url: flags.exceptionsFrom, token, cluster: flags.clusterName, userAgent: `${TOOL.name}/${TOOL.version}`, ...(flags.exceptionsCache && { cacheFile: flags.exceptionsCache }) });
  return { source, cluster: flags.clusterName, intervalMs: intFlag(flags.exceptionsRefresh, '--exceptions-refresh', 1, 86_400) * 1000 };
}

interface InstallFlags {
  namespace: string;
  replicas: string;
  failurePolicy: string;
  certManager?: boolean;
  image: string;
  mutate?: boolean;
  allKinds?: boolean;
  output?: string;
  validDays: string;
}

export function registerAdmission(program: Command): void {
  const admission = program.command('admission').description('the admission webhook: enforce the rules at deploy time');

  admission
    .command('serve')
    .description('serve the validating (and mutating) webhook over HTTPS')
    .requiredOption('--cert <file>', 'serving certificate (PEM); reloaded when it changes')
    .requiredOption('--key <file>', 'private key of the certificate (PEM)')
    .option('--port <port>', 'HTTPS port', '8443')
    .option('--host <address>', 'listen address', '0.0.0.0')
    .option('-c, --config <file>', 'config file (default: ./kubeguard.yaml when present)')
    .option('--log-level <level>', 'debug|info|warn|error', 'info')
    .option('--shutdown-delay <seconds>', 'on SIGTERM keep serving this long with /readyz failing', '0')
    .option('--shutdown-grace <seconds>', 'longest wait for in-flight requests on shutdown', '10')
    .option('--exceptions-from <url>', "apply the kubeguard server's approved exceptions for --cluster-name beside the config's")
    .option('--cluster-name <name>', 'with --exceptions-from: the cluster this webhook admits for')
    .option('--token-file <file>', 'with --exceptions-from: a file holding the API token (default $KUBEGUARD_TOKEN)')
    .option('--exceptions-refresh <seconds>', 'with --exceptions-from: how often the set is refreshed (the last good set stays while the server cannot be reached)', '30')
    .option('--exceptions-cache <file>', 'with --exceptions-from: keep the last good set in this file, for a restart while the server cannot be reached')
    .action(async (flags: ServeFlags) => {
      const level = oneOf(flags.logLevel, ['debug', 'info', 'warn', 'error'] as const, '--log-level') as LogLevel;
      const logger = createLogger({ level });
      const { config, file } = await loadConfig(flags.config);
      const webhook = createWebhook({
        config,
        ...(file !== undefined && { configFile: file }),
        catalog: RULES,
        tls: { certFile: flags.cert, keyFile: flags.key },
        host: flags.host,
        port: intFlag(flags.port, '--port', 0, 65535),
        logger,
        shutdownDelayMs: intFlag(flags.shutdownDelay, '--shutdown-delay', 0, 300) * 1000,
        shutdownGraceMs: intFlag(flags.shutdownGrace, '--shutdown-grace', 0, 300) * 1000,
        serverExceptions: serverExceptionsOption(flags),
      });
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info('signal received', { signal });
          webhook.shutdown().then(resolve, (e: unknown) => {
            logger.error('shutdown failed', { error: String(e) });
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      process.on('unhandledRejection', (e) => logger.error('unhandled rejection', { error: String(e) }));
      await webhook.listen();
      await stopped;
    });

  admission
    .command('install')
    .description('print the manifests that install the webhook (pipe into kubectl apply -f -)')
    .option('-n, --namespace <name>', 'namespace of the webhook', 'kubeguard')
    .option('--replicas <n>', 'webhook replicas', '2')
    .option('--failure-policy <policy>', 'what the API server does when the webhook is unreachable: Fail|Ignore', 'Fail')
    .option('--cert-manager', 'let cert-manager issue the serving certificate and inject the CA')
    .option('--mutate', 'also register the mutating endpoint (safe defaults)')
    .option('--all-kinds', 'register every kind the rules judge (Secrets, ConfigMaps, RBAC…), not only workloads')
    .option('--image <ref>', 'webhook image (by digest to pin it: REF@sha256:…)', DEFAULT_IMAGE)
    .option('--valid-days <days>', 'validity of the generated certificates', '365')
    .option('--output <file>', 'write the manifests to a file')
    .action(async (flags: InstallFlags) => {
      // Loaded here, not at start-up: the X.509 library alone adds ~20 MiB to every process, the webhook included.
      const [{ installManifests, NAME, renderManifests }, { webhookRules }, { issueCertificates, serviceDnsNames }] = await Promise.all([
        import('../../admission/install/manifests.js'),
        import('../../admission/install/webhook-rules.js'),
        import('../../admission/tls/certificates.js'),
      ]);
      const failurePolicy = oneOf(flags.failurePolicy, ['Fail', 'Ignore'] as const, '--failure-policy');
      const replicas = intFlag(flags.replicas, '--replicas', 1, 100);
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(flags.namespace)) throw new UsageError(`--namespace must be a DNS label (got "${flags.namespace}")`);
      const certificates = flags.certManager
        ? undefined
        : await issueCertificates({ dnsNames: serviceDnsNames(NAME, flags.namespace), notBefore: new Date(), validDays: intFlag(flags.validDays, '--valid-days', 1, 3650) });
      const objects = installManifests({
        namespace: flags.namespace,
        replicas,
        failurePolicy,
        image: flags.image,
        mutate: flags.mutate === true,
        allKinds: flags.allKinds === true,
        catalog: RULES,
        certManager: flags.certManager === true,
        ...(certificates && { certificates }),
      });
      const { uncovered } = webhookRules(RULES);
      if (flags.allKinds && uncovered.length > 0) note(`kubeguard: the webhook does not register for ${uncovered.join(', ')} (not API resources it knows)`);
      writeOutput(renderManifests(objects), flags.output);
    });
}
