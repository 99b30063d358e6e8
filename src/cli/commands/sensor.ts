/** `kubeguard sensor run|install` — the node sensor (src/sensor). */
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { UsageError } from '../../core/errors.js';
import { runSensor, SENSOR_SOURCES } from '../../sensor/run.js';
import type { SensorSource } from '../../sensor/run.js';
import { snapshotPods } from '../../sensor/pod-feeds.js';
import { renderSensorManifests, sensorManifests } from '../../sensor/install.js';
import { DEFAULT_IMAGE } from '../../install/component.js';
import { EXIT } from '../../core/outcome.js';

interface RunFlags {
  output: string;
  nodeName?: string;
  clusterName?: string;
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  duration?: string;
  sources: string;
  netns?: string;
  hostRoot: string;
  hostProcesses: boolean;
  queue: string;
  statsInterval: string;
  token?: string;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number (got a value that is not)`);
  return n;
}

export function registerSensor(program: Command): void {
  const sensor = program.command('sensor').description('the node sensor: processes and connections from the kernel, attributed to pods (no eBPF)');
  sensor
    .command('run')
    .description('watch this node and emit runtime events (JSON lines) to stdout, a file, or `runtime serve`')
    .option('-o, --output <dest>', '- (stdout), FILE, or http(s)://HOST:PORT/events of `kubeguard runtime serve`', '-')
    .option('--node-name <name>', 'this node (default: $NODE_NAME, then the host name)')
    .option('--cluster-name <name>', 'cluster name put on every event')
    .option('--snapshot <file>', 'pods from a snapshot (kubeguard snapshot, kubectl get pods -A -o json)')
    .option('--cluster', "pods of this node from the API server (list + watch, fieldSelector spec.nodeName)")
    .option('--kubeconfig <file>', 'kubeconfig for --cluster (default: in-cluster config)')
    .option('--context <name>', 'kubeconfig context for --cluster')
    .option('--duration <seconds>', 'stop after this many seconds (default: run until SIGTERM)')
    .option('--sources <list>', `sources to run, comma-separated (${SENSOR_SOURCES.join(', ')})`, SENSOR_SOURCES.join(','))
    .option('--netns <file>', "read connections in this network namespace (e.g. /proc/1/ns/net) instead of the sensor's own")
    .option('--host-root <dir>', "the host's / as mounted in the sensor pod (to read overlay upper dirs)", '')
    .option('--no-host-processes', "leave out events of the node's own processes")
    .option('--queue <events>', 'events held between the sources and the output before new ones are dropped', '65536')
    .option('--stats-interval <seconds>', 'seconds between status lines on stderr', '60')
    .option('--token <token>', 'bearer token for an http(s) output (default: $KUBEGUARD_TOKEN)')
    .action(async (flags: RunFlags) => {
      const sources = flags.sources.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = sources.filter((s) => !(SENSOR_SOURCES as readonly string[]).includes(s));
      if (unknown.length) throw new UsageError(`unknown source ${unknown.join(', ')} (known: ${SENSOR_SOURCES.join(', ')})`);
      if (flags.snapshot && flags.cluster) throw new UsageError('--snapshot and --cluster are alternatives: give one');
      const node = flags.nodeName ?? process.env.NODE_NAME ?? hostname();
      let pods;
      if (flags.snapshot) pods = snapshotPods(flags.snapshot);
      else if (flags.cluster) {
        const { watchedPods } = await import('../../sensor/pod-watch.js');
        pods = watchedPods({ node, kubeconfig: flags.kubeconfig, context: flags.context });
      }
      const summary = await runSensor({
        output: flags.output,
        node,
        cluster: flags.clusterName,
        sources: sources as SensorSource[],
        pods,
        durationMs: flags.duration !== undefined ? positive(flags.duration, '--duration') * 1000 : undefined,
        netns: flags.netns,
        hostRoot: flags.hostRoot.replace(/\/$/, ''),
        hostProcesses: flags.hostProcesses,
        queueCapacity: Math.floor(positive(flags.queue, '--queue')),
        statsIntervalMs: positive(flags.statsInterval, '--stats-interval') * 1000,
        token: flags.token ?? process.env.KUBEGUARD_TOKEN,
      });
      // incomplete: a source asked for could not run, or events were lost on the way
      const lost = summary.lost.kernel + summary.lost.overflows + summary.lost.queue + summary.lost.sink;
      const missing = Object.values(summary.sources).some((s) => s.state === 'unavailable' || s.state === 'failed');
      if (lost > 0 || missing) process.exitCode = EXIT.incomplete;
    });
  sensor
    .command('install')
    .description('print the DaemonSet that runs the sensor on every node (pipe into kubectl apply -f -)')
    .option('-n, --namespace <ns>', 'namespace', 'kubeguard-sensor')
    .option('--image <ref>', 'kubeguard image (by digest in production)', DEFAULT_IMAGE)
    .option('--output <dest>', '- (the container log) or the /events URL of `kubeguard runtime serve`', '-')
    .option('--cluster-name <name>', 'cluster name put on every event')
    .option('--no-namespace-object', 'do not print the Namespace (it exists already)')
    .action((flags: { namespace: string; image: string; output: string; clusterName?: string; namespaceObject: boolean }) => {
      process.stdout.write(renderSensorManifests(sensorManifests({ namespace: flags.namespace, image: flags.image, output: flags.output, clusterName: flags.clusterName, createNamespace: flags.namespaceObject })));
    });
}
