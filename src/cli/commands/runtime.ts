/**
 * `kubeguard runtime analyze|serve|baseline` — runtime detection on events (issue 17). Wiring only: the use cases
 * (src/usecases/runtime) and the engine do the work.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { SEVERITIES, type Severity } from '../../core/model.js';
import { UsageError, errorMessage } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { clusterOptions, loadInputs, type InputFlags } from '../inputs.js';
import { exitCode } from '../../core/outcome.js';
import { RULES } from '../../engine/catalog.js';
import { RBAC_INPUT_KINDS } from '../../analysis/rbac/analysis.js';
import { NETWORK_INPUT_KINDS } from '../../analysis/network/cluster.js';
import { note, oneOf, useColor, writeOutput } from '../io.js';
import { analyzeEvents, runtimePosture } from '../../usecases/runtime/analyze.js';
import { RuntimeService } from '../../usecases/runtime/serve.js';
import { serverSink, sinksFromConfig } from '../../sources/sinks/outputs.js';
import type { IncidentSink } from '../../sources/sinks/sink.js';
import { ServerExceptions } from '../../sources/upload/server-exceptions.js';
import type { SinkConfig } from '../../engine/config.js';
import { createReceiver } from '../../receiver/server.js';
import { createReceiverMetrics } from '../../receiver/metrics.js';
import { readPair } from '../../admission/server/tls-files.js';
import { incidentsJsonChunks, incidentsTableChunks } from '../../reporters/incidents.js';
import { readBaseline, writeBaseline, formatBaseline } from '../../sources/events/baseline-file.js';
import { BaselineLearner, mergeBaselines, type Baseline } from '../../analysis/runtime/baseline.js';
import { readEventFiles } from '../../sources/events/files.js';
import { resolveScanResultsPath } from '../../sources/scan-results/paths.js';
import { ScanResultStore } from '../../sources/scan-results/store.js';
import { imageKey } from '../../sources/scan-results/image-key.js';
import type { VulnLookup } from '../../analysis/runtime/posture.js';
import { uploadOptions, uploadTarget, type UploadFlags } from '../upload.js';
import { sendBaseline } from '../../sources/upload/client.js';
import { TOOL } from '../../generated/version.js';

/** The posture context runs every rule and reads RBAC and network exposure: a kind it lacks leaves it incomplete. */
const POSTURE_NEEDS = [...RULES, { id: 'rbac', kinds: RBAC_INPUT_KINDS }, { id: 'netpol', kinds: NETWORK_INPUT_KINDS }];

interface AnalyzeFlags extends InputFlags {
  baseline?: string;
  format: string;
  failOn?: string;
  config?: string;
  output?: string;
  scanResults?: string;
  color?: boolean;
}

/** Recorded image scans (kubeguard image scan --record), when the store exists: vulnerability counts for context. */
function vulnLookup(flag: string | undefined, quiet?: boolean): { lookup?: VulnLookup; close: () => void } {
  const path = resolveScanResultsPath({ flag });
  if (!existsSync(path)) return { close: () => {} };
  try {
    const store = ScanResultStore.open(path, { readonly: true });
    const lookup: VulnLookup = (image) => {
      const key = imageKey(image);
      const r = (key.digest ? store.latestByDigest(key.digest) : undefined) ?? store.latestByReference(key.reference);
      return r?.counts;
    };
    return { lookup, close: () => store.close() };
  } catch (e) {
    note(`warning: scan results not used: ${(e as Error).message}`, quiet);
    return { close: () => {} };
  }
}

function registerAnalyze(runtime: Command): void {
  clusterOptions(
    runtime
      .command('analyze')
      .description('replay events (Falco, Tetragon, audit logs, Hubble, the kubeguard sensor) and print the incidents')
      .argument('<files...>', 'event files (JSON lines or JSON; .gz read as gzip; - for stdin)'),
    'read posture context (findings, RBAC power, exposure) from the live cluster of the current kubeconfig context',
  )
    .option('--baseline <file>', 'a runtime baseline (kubeguard runtime baseline learn); locked workloads report deviations')
    .option('--format <format>', 'table|json', 'table')
    .option('--fail-on <severity>', 'exit 1 when an incident is at or above this severity (default: config failOn, else high)')
    .option('--config <file>', 'kubeguard.yaml (runtime section, exceptions)')
    .option('--scan-results <path>', 'recorded image scans for vulnerability context (default: the store of image scan --record, when present)')
    .option('--output <file>', 'write the result to a file')
    .option('--no-color', 'no colour')
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (files: string[], flags: AnalyzeFlags) => {
      const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
      const { config } = await loadConfig(flags.config);
      const failOn: Severity = flags.failOn ? oneOf(flags.failOn, SEVERITIES, '--fail-on') : (config.failOn ?? 'high');
      if (flags.snapshot && flags.cluster) throw new UsageError('give --snapshot or --cluster, not both');
      const inputs = flags.snapshot || flags.cluster ? await loadInputs([], flags, POSTURE_NEEDS) : undefined;
      for (const e of inputs?.errors ?? []) note(`warning: ${e.message}`, flags.quiet);
      const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
      const vulns = inputs ? vulnLookup(flags.scanResults, flags.quiet) : { close: () => {} };
      let result;
      try {
        result = await analyzeEvents({ files, config, resources: inputs?.resources, baseline, vulns: 'lookup' in vulns ? vulns.lookup : undefined, now: new Date() });
      } finally {
        vulns.close();
      }
      const { stats, failed } = result.read;
      for (const f of failed) note(`error: ${f.message}`, false);
      if (stats.skipped) {
        note(`skipped ${stats.skipped} record(s): ${Object.entries(stats.reasons).map(([r, n]) => `${n} ${r}`).join('; ')}`, flags.quiet);
        for (const x of stats.examples.slice(0, 5)) note(`  ${x.source}:${x.line}: ${x.reason}`, flags.quiet);
      }
      for (const n of result.notes) note(`note: ${n}`, flags.quiet);
      for (const x of result.exceptions) note(`exception ${x.rule} (${x.reason}${x.owner ? `, owner ${x.owner}` : ''}${x.expires ? `, expires ${x.expires}` : ''}): suppressed ${x.suppressed}${x.expiredMatches ? `; expired for ${x.expiredMatches} later detection(s)` : ''}`, flags.quiet);
      for (const [id, n] of Object.entries(result.failures)) note(`error: detector ${id} failed on ${n} event(s)`, false);
      const events = { read: stats.read, skipped: stats.skipped };
      try {
        writeOutput(format === 'json' ? incidentsJsonChunks(result.incidents, events) : incidentsTableChunks(result.incidents, events, !flags.output && flags.color !== false && useColor()), flags.output);
      } finally {
        result.incidents.close();
      }
      const incomplete = failed.length > 0 || Object.keys(result.failures).length > 0 || (stats.read === 0 && stats.skipped > 0);
      const failing = result.incidents.reaches(failOn);
      // posture context without a kind it reads (forbidden, or missing from the snapshot): incomplete
      process.exitCode = exitCode({ notEvaluated: inputs?.notEvaluated, incomplete, failed: failing });
    });
}

interface LearnFlags {
  output: string;
  merge?: boolean;
  lock?: boolean;
  window?: string;
  quiet?: boolean;
}

function registerBaseline(runtime: Command): void {
  const baseline = runtime.command('baseline').description('learn, review and lock runtime baselines (readable YAML files)');
  baseline
    .command('learn')
    .description('learn what each workload normally does from events')
    .argument('<files...>', 'event files (as for runtime analyze)')
    .requiredOption('-o, --output <file>', 'the baseline file to write')
    .option('--merge', 'add to the baseline already in --output instead of replacing it')
    .option('--window <duration>', 'learn only the first DURATION of events (e.g. 24h), counted from the first event')
    .option('--lock', 'lock the learnt baseline at once (deviations become incidents)')
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (files: string[], flags: LearnFlags) => {
      const window = flags.window === undefined ? undefined : parseDuration(flags.window);
      if (flags.window !== undefined && (window === undefined || window <= 0)) throw new UsageError(`--window must be a duration such as 24h (got "${flags.window}")`);
      const learner = new BaselineLearner();
      let start: number | undefined;
      let outside = 0;
      const { stats, failed } = await readEventFiles(files, (e) => {
        start ??= e.ts;
        if (window !== undefined && e.ts - start > window) {
          outside++;
          return;
        }
        learner.learn(e);
      });
      for (const f of failed) note(`error: ${f.message}`, false);
      let learnt: Baseline = learner.finish(flags.lock === true);
      if (flags.lock) learnt.lockedAt = learnt.learned.until;
      if (flags.merge && existsSync(flags.output)) learnt = mergeBaselines(readBaseline(flags.output), learnt);
      writeBaseline(flags.output, learnt);
      note(`learnt ${learnt.workloads.length} workload(s) from ${stats.read - outside} event(s)${outside ? ` (${outside} after the window left out)` : ''}${stats.skipped ? `; ${stats.skipped} record(s) skipped` : ''}${learner.dropped ? `; ${learner.dropped} event(s) of workloads beyond the limit not learnt` : ''} → ${flags.output}${learnt.locked ? ' (locked)' : ' (not locked: review, then kubeguard runtime baseline lock)'}`, flags.quiet);
      process.exitCode = failed.length ? 3 : 0;
    });
  uploadOptions(
    baseline
      .command('upload')
      .description("send a baseline to a kubeguard server for a cluster (replacing the cluster's previous one): the dashboard shows each workload's baseline and its network entries as observed connections")
      .argument('<file>', 'baseline file')
      .option('-q, --quiet', 'no notes on stderr'),
  ).action(async (file: string, flags: UploadFlags) => {
    const target = uploadTarget(flags);
    if (!target) throw new UsageError('runtime baseline upload needs --upload URL');
    const b = readBaseline(file);
    const r = await sendBaseline({ url: target.url, token: target.token, cluster: target.cluster, text: formatBaseline(b), userAgent: `${TOOL.name}/${TOOL.version}`, onRetry: (m) => note(m, flags.quiet) });
    note(`uploaded the baseline of ${Number(r.workloads ?? b.workloads.length)} workload(s) to ${target.cluster}${b.locked ? ' (locked)' : ' (not locked)'}`, flags.quiet);
  });
  baseline
    .command('show')
    .description('print a baseline, or one workload of it')
    .argument('<file>', 'baseline file')
    .option('--workload <ns/name>', 'only this workload')
    .option('--format <format>', 'yaml|json', 'yaml')
    .action((file: string, flags: { workload?: string; format: string }) => {
      const format = oneOf(flags.format, ['yaml', 'json'] as const, '--format');
      const b = readBaseline(file);
      const shown = flags.workload ? { ...b, workloads: b.workloads.filter((w) => `${w.namespace}/${w.workload}` === flags.workload) } : b;
      if (flags.workload && shown.workloads.length === 0) throw new UsageError(`no workload ${flags.workload} in ${file} (it has ${b.workloads.length}: ${b.workloads.slice(0, 5).map((w) => `${w.namespace}/${w.workload}`).join(', ')}${b.workloads.length > 5 ? ', …' : ''})`);
      writeOutput(format === 'json' ? JSON.stringify(shown, null, 2) + '\n' : formatBaseline(shown));
    });
  baseline
    .command('lock')
    .description('lock a baseline (or some of its workloads): from then on what it lacks is reported')
    .argument('<file>', 'baseline file')
    .option('--workload <ns/name>', 'only this workload (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--unlock', 'unlock instead')
    .option('-q, --quiet', 'no notes on stderr')
    .action((file: string, flags: { workload?: string[]; unlock?: boolean; quiet?: boolean }) => {
      const b = readBaseline(file);
      const lock = !flags.unlock;
      if (flags.workload?.length) {
        for (const id of flags.workload) {
          const w = b.workloads.find((x) => `${x.namespace}/${x.workload}` === id);
          if (!w) throw new UsageError(`no workload ${id} in ${file}`);
          w.locked = lock;
        }
      } else {
        b.locked = lock;
        for (const w of b.workloads) delete w.locked;
      }
      if (lock) b.lockedAt = b.lockedAt ?? b.learned.until;
      writeBaseline(file, b);
      const count = b.workloads.filter((w) => w.locked ?? b.locked).length;
      note(`${file}: ${count} of ${b.workloads.length} workload(s) locked`, flags.quiet);
    });
}

interface ServeFlags extends InputFlags {
  port: string;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  tokenFile?: string;
  config?: string;
  baseline?: string;
  sink?: string[];
  scanResults?: string;
  upload?: string;
  clusterName?: string;
  uploadTokenFile?: string;
}

/**
 * `--upload URL --cluster-name NAME`: incidents also go to the central server, under an uploader token from
 * `--upload-token-file` (a mounted Secret) or $KUBEGUARD_TOKEN — never a flag (a long-running process) — and the
 * server's approved exceptions for the cluster apply beside the config's (refreshed every 30 s; the last good set
 * stays in force while the server cannot be reached).
 */
function serverSinkOf(flags: ServeFlags): { sink: IncidentSink; exceptions: ServerExceptions } | undefined {
  if (!flags.upload) {
    if (flags.clusterName || flags.uploadTokenFile) throw new UsageError('--cluster-name and --upload-token-file go with --upload');
    return undefined;
  }
  if (!flags.clusterName) throw new UsageError('--upload needs --cluster-name NAME');
  const token = flags.uploadTokenFile ? readSecretFile(flags.uploadTokenFile, '--upload-token-file') : process.env.KUBEGUARD_TOKEN;
  if (!token) throw new UsageError('--upload needs --upload-token-file FILE or $KUBEGUARD_TOKEN');
  try {
    return { sink: serverSink(flags.upload, token, flags.clusterName), exceptions: new ServerExceptions({ url: flags.upload, token, cluster: flags.clusterName, userAgent: `${TOOL.name}/${TOOL.version} runtime` }) };
  } catch (e) {
    throw new UsageError(`--upload: ${errorMessage(e).replace('--upload needs', 'needs')}`);
  }
}

/** `--sink stdout|file:PATH|webhook:URL|slack:URL` (besides the config's runtime.sinks). */
function sinkFlag(text: string): SinkConfig {
  if (text === 'stdout') return { type: 'stdout' };
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  const target = text.slice(colon + 1);
  if (colon < 0 || !target) throw new UsageError(`--sink must be stdout, file:PATH, webhook:URL or slack:URL (got "${text.split(':')[0]}…")`);
  if (type === 'file') return { type: 'file', path: target };
  if (type === 'webhook' || type === 'slack') {
    if (!/^https?:\/\//.test(target)) throw new UsageError(`--sink ${type}: needs an http(s) URL`);
    return { type, url: target };
  }
  throw new UsageError(`--sink must be stdout, file:PATH, webhook:URL or slack:URL (got "${type}:…")`);
}

function registerServe(runtime: Command): void {
  clusterOptions(
    runtime
      .command('serve')
      .description('receive events over HTTP(S) (/falco, /audit, /events, /incidents), detect, and send incidents to the sinks'),
    'read posture context from the live cluster at start',
  )
    .requiredOption('--port <n>', 'port to listen on (0: any free port, printed on stderr)')
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--tls-cert <file>', 'serving certificate (PEM); with --tls-key, serve HTTPS')
    .option('--tls-key <file>', 'serving key (PEM)')
    .option('--token-file <file>', 'require "Authorization: Bearer <token>" with the token in this file')
    .option('--config <file>', 'kubeguard.yaml (runtime section: detectors, sinks, incidentWindow; exceptions)')
    .option('--baseline <file>', 'a runtime baseline; locked workloads report deviations')
    .option('--sink <sink>', 'stdout, file:PATH, webhook:URL or slack:URL (repeatable; default: stdout when the config has none)', (v: string, p: string[] = []) => [...p, v])
    .option('--scan-results <path>', 'recorded image scans for vulnerability context')
    .option('--upload <url>', 'also send incidents to a kubeguard server (kubeguard serve), for --cluster-name')
    .option('--cluster-name <name>', 'the cluster the incidents belong to, for --upload')
    .option('--upload-token-file <file>', 'a file holding an uploader token for --upload (default $KUBEGUARD_TOKEN)')
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535 (got "${flags.port}")`);
      if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) throw new UsageError('--tls-cert and --tls-key go together');
      const { config } = await loadConfig(flags.config);
      const sinkConfigs = [...(config.runtime?.sinks ?? []), ...(flags.sink ?? []).map(sinkFlag)];
      const toServer = serverSinkOf(flags);
      const sinks = [...sinksFromConfig(sinkConfigs.length || toServer ? sinkConfigs : [{ type: 'stdout' }]), ...(toServer ? [toServer.sink] : [])];
      const token = flags.tokenFile ? readSecretFile(flags.tokenFile, '--token-file') : undefined;
      const tls = flags.tlsCert ? readPair({ certFile: flags.tlsCert, keyFile: flags.tlsKey! }) : undefined;
      const inputs = flags.snapshot || flags.cluster ? await loadInputs([], flags, POSTURE_NEEDS) : undefined;
      const vulns = inputs ? vulnLookup(flags.scanResults, flags.quiet) : { close: () => {} };
      const posture = inputs ? runtimePosture(inputs.resources, config, new Date(), 'lookup' in vulns ? vulns.lookup : undefined) : undefined;
      const service = new RuntimeService({ config, sinks, posture, baseline: flags.baseline ? readBaseline(flags.baseline) : undefined, now: Date.now });
      let failing = false;
      const refresh = async () => {
        const r = await toServer!.exceptions.refresh();
        if (r.snapshot) service.setServerExceptions(r.snapshot.exceptions);
        if (!r.ok && !failing) note(`runtime serve: the server's exceptions could not be refreshed (${r.error}); ${r.snapshot ? 'the last good set stays in force' : 'config exceptions only'}`, flags.quiet);
        failing = !r.ok;
      };
      const exceptionsTimer = toServer && (await refresh(), setInterval(() => void refresh(), 30_000).unref());
      const metrics = createReceiverMetrics(service);
      const receiver = createReceiver({ service, metrics, host: flags.host, port, tls, token });
      const address = await receiver.listen();
      note(`kubeguard runtime serve listening on ${tls ? 'https' : 'http'}://${address.address}:${address.port} (sinks: ${sinks.map((s) => s.name).join(', ')})`, flags.quiet);
      await new Promise<void>((resolve) => {
        const stop = () => {
          if (exceptionsTimer) clearInterval(exceptionsTimer);
          void receiver.close().finally(() => { vulns.close(); resolve(); });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}

function readSecretFile(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text) throw new UsageError(`${flag}: ${file} is empty`);
  return text;
}

export function registerRuntime(program: Command): void {
  const runtime = program.command('runtime').description('runtime detection: incidents from Falco, Tetragon, audit logs, Hubble and the kubeguard sensor');
  registerAnalyze(runtime);
  registerServe(runtime);
  registerBaseline(runtime);
}
