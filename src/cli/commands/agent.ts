/**
 * `kubeguard agent` — the in-cluster agent: on a schedule (and with --watch, soon after the cluster changes), read
 * the cluster it runs in, scan it and upload the results to the central server under its cluster name
 * (src/usecases/agent). Flags, signals and one line per pass on stderr; `--once` for a CronJob or a try.
 */
import type { Command } from 'commander';
import { UsageError, errorMessage } from '../../core/errors.js';
import { TOOL } from '../../engine/report.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { scansUrl } from '../../sources/upload/client.js';
import { ServerExceptions } from '../../sources/upload/server-exceptions.js';
import { agentCycle } from '../../usecases/agent/cycle.js';
import { describeCycle, runAgent } from '../../usecases/agent/run.js';
import { AgentLiveness, DEFAULT_LIVENESS } from '../../usecases/agent/liveness.js';
import { serveLiveness } from '../liveness-endpoint.js';
import { kubeconfigConnection } from '../../sources/node/pod-watch.js';
import type { AgentSettings } from '../../usecases/agent/cycle.js';
import { intFlag, note } from '../io.js';
import { longRunningToken } from '../upload.js';

interface AgentFlags {
  server: string;
  clusterName: string;
  tokenFile?: string;
  interval: string;
  once?: boolean;
  watch?: boolean;
  watchDebounce: string;
  watchMaxDelay: string;
  watchMinGap: string;
  healthPort?: string;
  passLimit: string;
  kubeconfig?: string;
  context?: string;
  config?: string;
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('in-cluster agent: scan the cluster on a schedule and upload the results to a kubeguard server')
    .requiredOption('--server <url>', 'the kubeguard server (kubeguard serve)')
    .requiredOption('--cluster-name <name>', 'the name the results are kept under on the server')
    .option('--token-file <file>', 'a file holding an uploader token (default $KUBEGUARD_TOKEN)')
    .option('--interval <seconds>', 'seconds between passes', '3600')
    .option('--once', 'one pass, then exit (0: uploaded, 3: could not)')
    .option('--watch', 'also pass soon after the cluster changes (list+watch of the kinds it reads; status changes do not count)')
    .option('--watch-debounce <seconds>', 'with --watch: pass once the cluster was quiet this long', '10')
    .option('--watch-max-delay <seconds>', 'with --watch: pass at most this long after the first change, quiet or not', '120')
    .option('--watch-min-gap <seconds>', 'with --watch: never pass sooner than this after the last pass ended', '60')
    .option('--health-port <port>', 'serve GET /healthz on this port for a liveness probe: 503 once the wait loop, a pass or a watch stops making progress (0: any free port)')
    .option('--pass-limit <seconds>', 'with --health-port: a pass running longer than this is stuck', String(DEFAULT_LIVENESS.passLimitMs / 1000))
    .option('--kubeconfig <file>', 'kubeconfig file (default: the in-cluster service account, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-c, --config <file>', 'config file: rules, severities, exceptions (default: ./kubeguard.yaml when present)')
    .action(async (flags: AgentFlags) => {
      const token = longRunningToken(flags.tokenFile, 'agent');
      try {
        scansUrl(flags.server);
      } catch (e) {
        throw new UsageError(`--server: ${errorMessage(e).replace('--upload needs', 'needs')}`);
      }
      const intervalMs = intFlag(flags.interval, '--interval', 10, 7 * 86_400) * 1000;
      const { config, file } = await loadConfig(flags.config);
      const userAgent = `${TOOL.name}/${TOOL.version} agent`;
      const settings: AgentSettings = {
        server: flags.server,
        token,
        cluster: flags.clusterName,
        config,
        ...(file !== undefined && { configFile: file }),
        kube: { ...(flags.kubeconfig !== undefined && { kubeconfig: flags.kubeconfig }), ...(flags.context !== undefined && { context: flags.context }) },
        exceptions: new ServerExceptions({ url: flags.server, token, cluster: flags.clusterName, userAgent }),
        userAgent,
        onRetry: (m) => note(`agent: ${m}`),
      };
      if (flags.once && flags.watch) throw new UsageError('--once and --watch do not go together');
      if (!flags.watch && (flags.watchDebounce !== '10' || flags.watchMaxDelay !== '120' || flags.watchMinGap !== '60')) throw new UsageError('--watch-debounce, --watch-max-delay and --watch-min-gap go with --watch');
      if (flags.once && flags.healthPort !== undefined) throw new UsageError('--health-port is for the long-running agent, not --once');
      if (flags.healthPort === undefined && flags.passLimit !== String(DEFAULT_LIVENESS.passLimitMs / 1000)) throw new UsageError('--pass-limit goes with --health-port');
      if (flags.once) {
        try {
          note(describeCycle(await agentCycle(settings), flags.clusterName));
          process.exitCode = 0;
        } catch (e) {
          note(`agent: ${flags.clusterName}: the pass failed (${errorMessage(e)})`);
          process.exitCode = 3;
        }
        return;
      }
      const passLimitMs = intFlag(flags.passLimit, '--pass-limit', 1, 7 * 86_400) * 1000;
      const liveness = flags.healthPort !== undefined ? new AgentLiveness(Date.now(), { ...DEFAULT_LIVENESS, passLimitMs }) : undefined;
      const endpoint = liveness && (await serveLiveness(intFlag(flags.healthPort!, '--health-port', 0, 65_535), () => liveness.check(Date.now())));
      if (endpoint) note(`agent: liveness on port ${endpoint.port} (GET /healthz)`);
      const stop = new AbortController();
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop.abort());
      try {
        await runAgent(settings, {
          intervalMs,
          signal: stop.signal,
          report: (line) => note(line),
          ...(liveness && { liveness }),
          ...(flags.watch && {
            watch: {
              connect: () => kubeconfigConnection(flags.kubeconfig, flags.context),
              debounceMs: intFlag(flags.watchDebounce, '--watch-debounce', 1, 3600) * 1000,
              maxDelayMs: intFlag(flags.watchMaxDelay, '--watch-max-delay', 1, 86_400) * 1000,
              minGapMs: intFlag(flags.watchMinGap, '--watch-min-gap', 1, 86_400) * 1000,
            },
          }),
        });
      } finally {
        await endpoint?.close();
      }
      note('agent: stopped');
    });
}
