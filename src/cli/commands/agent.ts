/**
 * `kubeguard agent` — the in-cluster agent: on a schedule, read the cluster it runs in, scan it and upload the
 * results to the central server under its cluster name (src/usecases/agent/cycle.ts). Flags, schedule, signals
 * and one line per pass on stderr; `--once` for a CronJob or a try.
 */
import type { Command } from 'commander';
import { UsageError, errorMessage } from '../../core/errors.js';
import { TOOL } from '../../engine/scan.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { scansUrl } from '../../sources/upload/client.js';
import { ServerExceptions } from '../../sources/upload/server-exceptions.js';
import { agentCycle } from '../../usecases/agent/cycle.js';
import type { AgentSettings } from '../../usecases/agent/cycle.js';
import { intFlag, note } from '../io.js';
import { longRunningToken } from '../upload.js';

interface AgentFlags {
  server: string;
  clusterName: string;
  tokenFile?: string;
  interval: string;
  once?: boolean;
  kubeconfig?: string;
  context?: string;
  config?: string;
}

function describe(o: Awaited<ReturnType<typeof agentCycle>>, cluster: string): string {
  const n = (k: string) => Number(o.upload[k] ?? 0);
  const stale = o.exceptions.stale ? `; the server's exceptions are the last good set (${o.exceptions.stale})` : '';
  const failures = o.failures.length ? `; not listed: ${o.failures.join('; ')}` : '';
  return `agent: ${cluster}: ${o.objects} objects, ${o.findings} findings, ${o.exceptions.count} server exception(s); uploaded: ${n('new')} new, ${n('fixed')} fixed, ${n('reopened')} reopened${stale}${failures}`;
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
      const { config, file } = loadConfig(flags.config);
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
      const pass = async (): Promise<boolean> => {
        try {
          note(describe(await agentCycle(settings), flags.clusterName));
          return true;
        } catch (e) {
          note(`agent: ${flags.clusterName}: the pass failed (${errorMessage(e)}); the next one is in ${intervalMs / 1000} s`);
          return false;
        }
      };
      if (flags.once) {
        process.exitCode = (await pass()) ? 0 : 3;
        return;
      }
      // passes never overlap: the next one is scheduled when one ends; SIGTERM ends the wait (or the pass in flight)
      let stop: () => void = () => {};
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      let stopping = false;
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          stopping = true;
          stop();
        });
      }
      while (!stopping) {
        await pass();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, intervalMs)))]);
        clearTimeout(timer);
      }
      note('agent: stopped');
    });
}
