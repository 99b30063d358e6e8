/**
 * `kubeguard netpol reach|matrix|isolation|exposure|diff|generate|simulate`: the NetworkPolicy engine
 * (src/analysis/network) behind the same inputs as `scan` (-f/--file, --snapshot, --cluster). Parsing and
 * rendering only; the semantics live in the library.
 *
 * Exit codes: reach 0 allowed / 1 denied; diff 0 no change / 1 changes; simulate 0 nothing blocked / 1 some flow
 * blocked; others 0; 2 usage error; 3 when inputs had errors or a kind the analysis reads could not be read
 * (core/outcome.ts).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import {
  buildCluster,
  computeMatrix,
  diff,
  exposure,
  generatePolicies,
  isolation,
  isProtocol,
  parseCidr,
  parseFlows,
  parseIp,
  reach,
  reachCidr,
  renderDiffTable,
  renderExposureTable,
  renderIsolationTable,
  renderMatrix,
  renderSimulationTable,
  simulate,
  workloadFromPodName,
  type Endpoint,
  type MatrixFormat,
  type NetCluster,
  type Protocol,
  type ReachResult,
  NETWORK_INPUT_KINDS,
} from '../../analysis/network/index.js';
import { exitCode } from '../../core/outcome.js';
import { hasInputs } from '../../usecases/inputs.js';
import { inputOptions as sharedInputOptions, inputSpec, loadInputs, noteNotEvaluated, type InputFlags, type Inputs } from '../inputs.js';
import { note, oneOf, writeOutput } from '../io.js';

interface NetpolFlags extends InputFlags {
  format: string;
  output?: string;
}

const NEEDS = [{ id: 'netpol', kinds: NETWORK_INPUT_KINDS }];

function inputOptions(cmd: Command): Command {
  return sharedInputOptions(cmd).option('--output <file>', 'write the result to a file');
}

/** Loads one input set, noting on stderr its errors and what could not be evaluated. */
async function loadSet(paths: string[], flags: InputFlags): Promise<Inputs> {
  const inputs = await loadInputs(paths, flags, NEEDS);
  noteNotEvaluated(inputs, flags.quiet);
  for (const e of inputs.errors) note(`error: ${e.file ?? ''}${e.line ? ':' + e.line : ''} ${e.message}`, flags.quiet);
  return inputs;
}

/** The cluster model of the objects of several input sets, with its warnings noted. */
function clusterOf(sets: readonly (Inputs | undefined)[], quiet?: boolean): NetCluster {
  const cluster = buildCluster(sets.flatMap((s) => (s ? s.resources.map((r) => r.object) : [])));
  for (const w of cluster.warnings) note(`warning: ${w}`, quiet);
  return cluster;
}

async function load(paths: string[], flags: InputFlags): Promise<{ inputs: Inputs; cluster: NetCluster }> {
  const inputs = await loadSet(paths, flags);
  return { inputs, cluster: clusterOf([inputs], flags.quiet) };
}

/** Policy files given as arguments beside the -f/--snapshot/--cluster topology: read with the same -n. */
const argumentFlags = (flags: InputFlags): InputFlags => ({ quiet: flags.quiet, namespace: flags.namespace });

function finish(text: string, flags: NetpolFlags, inputs: readonly (Inputs | undefined)[], failed: boolean): void {
  writeOutput(text.endsWith('\n') ? text : text + '\n', flags.output);
  process.exitCode = exitCode(...inputs.filter((i): i is Inputs => !!i), { failed });
}

/** "8080", "8080/TCP", "53/udp" */
export function parsePortArg(text: string): { port: number; protocol: Protocol } {
  const [p, proto = 'TCP'] = text.split('/');
  const port = Number(p);
  const protocol = proto.toUpperCase();
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be 1-65535 (got "${text}")`);
  if (!isProtocol(protocol)) throw new UsageError(`--port protocol must be TCP, UDP or SCTP (got "${proto}")`);
  return { port, protocol };
}

function podEndpoint(cluster: NetCluster, ref: string, flag: string): Endpoint {
  const [ns, name, extra] = ref.split('/');
  if (!ns || !name || extra !== undefined) throw new UsageError(`${flag} must be NAMESPACE/NAME (got "${ref}")`);
  const pod = cluster.pods.find((p) => p.key === ref) ?? cluster.pods.find((p) => p.key === `${ns}/${workloadFromPodName(name)}`);
  if (!pod) {
    const known = cluster.pods.filter((p) => p.namespace === ns).map((p) => p.key);
    throw new UsageError(`${flag}: no pod or workload ${ref} in the input${known.length ? ` (namespace ${ns} has: ${known.slice(0, 10).join(', ')})` : ''}`);
  }
  return { type: 'pod', pod };
}

/** An address becomes a /32 (/128) block; a CIDR stays as given. */
function cidrArg(text: string, flag: string): string {
  try {
    if (text.includes('/')) {
      parseCidr(text);
      return text;
    }
    return `${text}/${parseIp(text).family === 4 ? 32 : 128}`;
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

function renderReach(r: ReachResult): string {
  const side = (name: string, s: { isolated: boolean; allowedBy: string[] }) =>
    `  ${name}: ${s.isolated ? (s.allowedBy.length ? `isolated, allowed by ${s.allowedBy.join(', ')}` : 'isolated, no policy allows it') : 'not isolated (allowed)'}`;
  const what = r.port !== undefined ? `${r.port}/${r.protocol}` : 'any port';
  return [
    `${r.allowed ? 'ALLOWED' : 'DENIED'}: ${r.from} -> ${r.to} on ${what}`,
    side(`egress of ${r.from}`, r.egress),
    side(`ingress of ${r.to}`, r.ingress),
    `  all allowed connections: ${r.connections}`,
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

export function registerNetpol(program: Command): void {
  const netpol = program.command('netpol').description('NetworkPolicy analysis: reachability, isolation, exposure, semantic diff, generation from flows');

  inputOptions(
    netpol
      .command('reach')
      .description('can FROM connect to TO (on PORT)? and which policies decide it')
      .argument('[paths...]', 'files, directories, or - for stdin')
      .option('--from <ns/name>', 'source pod or workload')
      .option('--to <ns/name>', 'destination pod or workload')
      .option('--from-cidr <ip|cidr>', 'source outside the cluster')
      .option('--to-cidr <ip|cidr>', 'destination outside the cluster')
      .option('--port <port[/proto]>', 'destination port and protocol (TCP default); any port when omitted')
      .option('-o, --format <format>', 'table|json', 'table'),
  ).action(async (paths: string[], flags: NetpolFlags & { from?: string; to?: string; fromCidr?: string; toCidr?: string; port?: string }) => {
    const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
    if (!!flags.from === !!flags.fromCidr) throw new UsageError('give exactly one of --from and --from-cidr');
    if (!!flags.to === !!flags.toCidr) throw new UsageError('give exactly one of --to and --to-cidr');
    const port = flags.port ? parsePortArg(flags.port) : undefined;
    const { inputs, cluster } = await load(paths, flags);
    let r: ReachResult;
    if (flags.from && flags.to) r = reach(cluster, podEndpoint(cluster, flags.from, '--from'), podEndpoint(cluster, flags.to, '--to'), port?.port, port?.protocol);
    else if (flags.fromCidr && flags.to) r = reachCidr(cluster, 'from-cidr', podEndpoint(cluster, flags.to, '--to'), cidrArg(flags.fromCidr, '--from-cidr'), port?.port, port?.protocol);
    else if (flags.from && flags.toCidr) r = reachCidr(cluster, 'to-cidr', podEndpoint(cluster, flags.from, '--from'), cidrArg(flags.toCidr, '--to-cidr'), port?.port, port?.protocol);
    else throw new UsageError('--from-cidr and --to-cidr cannot be combined: one end must be a pod or workload');
    finish(format === 'json' ? JSON.stringify(r, null, 2) : renderReach(r), flags, [inputs], !r.allowed);
  });

  inputOptions(
    netpol
      .command('matrix')
      .description('every allowed connection between pods/workloads and external address ranges')
      .argument('[paths...]', 'files, directories, or - for stdin')
      .option('-o, --format <format>', 'table|json|dot', 'table'),
  ).action(async (paths: string[], flags: NetpolFlags) => {
    const format = oneOf(flags.format, ['table', 'json', 'dot'] as const, '--format') as MatrixFormat;
    const { inputs, cluster } = await load(paths, flags);
    finish(renderMatrix(computeMatrix(cluster), format), flags, [inputs], false);
  });

  // Questions over the whole cluster model, answered as a table or JSON.
  const view = <T>(name: string, description: string, compute: (c: NetCluster) => T, table: (r: T) => string): void => {
    inputOptions(
      netpol
        .command(name)
        .description(description)
        .argument('[paths...]', 'files, directories, or - for stdin')
        .option('-o, --format <format>', 'table|json', 'table'),
    ).action(async (paths: string[], flags: NetpolFlags) => {
      const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
      const { inputs, cluster } = await load(paths, flags);
      const r = compute(cluster);
      finish(format === 'json' ? JSON.stringify(r, null, 2) : table(r), flags, [inputs], false);
    });
  };
  view('isolation', 'pods selected by no ingress and/or no egress NetworkPolicy', isolation, renderIsolationTable);
  view(
    'exposure',
    'what outside traffic can reach: internet-admitting policies, LoadBalancer/NodePort/externalIPs, Ingress and HTTPRoute backends',
    exposure,
    renderExposureTable,
  );

  inputOptions(
    netpol
      .command('diff')
      .description('semantic difference between two policy sets: connections newly allowed and newly denied')
      .argument('<old>', 'old policies (file or directory)')
      .argument('<new>', 'new policies (file or directory)')
      .option('-o, --format <format>', 'table|json', 'table'),
  )
    .addHelpText('after', '\nWorkloads common to both sides (the topology) can be given with -f/--snapshot/--cluster.')
    .action(async (oldPath: string, newPath: string, flags: NetpolFlags) => {
      const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
      // the topology (-f/--snapshot/--cluster) is read once and shared by both sides
      const topology = hasInputs(inputSpec([], flags)) ? await loadSet([], flags) : undefined;
      const older = await loadSet([oldPath], argumentFlags(flags));
      const newer = await loadSet([newPath], argumentFlags(flags));
      const r = diff(clusterOf([topology, older], flags.quiet), clusterOf([topology, newer], flags.quiet));
      const changed = r.newlyAllowed.length + r.newlyDenied.length > 0;
      finish(format === 'json' ? JSON.stringify(r, null, 2) : renderDiffTable(r), flags, [topology, older, newer], changed);
    });

  inputOptions(
    netpol
      .command('generate')
      .description('least-privilege NetworkPolicies (YAML) from observed flows')
      .argument('[paths...]', 'workload manifests the flows refer to (labels come from them when present)')
      .requiredOption('--flows <file>', 'JSON lines {src, dst, port, protocol} or Hubble `observe -o json` output')
      .option('--no-egress', 'generate ingress policies only')
      .option('-o, --format <format>', 'yaml|json', 'yaml'),
  ).action(async (paths: string[], flags: NetpolFlags & { flows: string; egress: boolean }) => {
    const format = oneOf(flags.format, ['yaml', 'json'] as const, '--format');
    const parsed = readFlows(flags.flows, flags.quiet);
    const { inputs, cluster } = hasInputs(inputSpec(paths, flags)) ? await load(paths, flags) : { inputs: undefined, cluster: buildCluster([]) };
    const r = generatePolicies(parsed, cluster, { egress: flags.egress });
    for (const w of r.warnings) note(`warning: ${w}`, flags.quiet);
    note(`${r.policies.length} policies from ${parsed.length} flows`, flags.quiet);
    const text = format === 'json' ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: r.policies.map((p) => p.object) }, null, 2) : r.yaml;
    finish(text, flags, [inputs], false);
  });

  inputOptions(
    netpol
      .command('simulate')
      .description('which observed flows a candidate policy set would block (check before enforcing)')
      .argument('[policies...]', 'candidate NetworkPolicies (files or directories), added to the -f/--snapshot/--cluster input')
      .requiredOption('--flows <file>', 'JSON lines {src, dst, port, protocol} or Hubble `observe -o json` output')
      .option('--replace', 'drop the NetworkPolicies of the -f/--snapshot/--cluster input: evaluate the candidates alone')
      .option('-o, --format <format>', 'table|json', 'table'),
  ).action(async (policyPaths: string[], flags: NetpolFlags & { flows: string; replace?: boolean }) => {
    const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
    const flows = readFlows(flags.flows, flags.quiet);
    const base = hasInputs(inputSpec([], flags)) ? await loadSet([], flags) : undefined;
    const candidates = policyPaths.length ? await loadSet(policyPaths, argumentFlags(flags)) : undefined;
    // --replace: the candidates alone decide, over the base's workloads
    const kept = base && flags.replace ? { ...base, resources: base.resources.filter((r) => r.object.kind !== 'NetworkPolicy') } : base;
    const r = simulate(flows, clusterOf([kept, candidates], flags.quiet));
    finish(format === 'json' ? JSON.stringify(r, null, 2) : renderSimulationTable(r), flags, [base, candidates], r.summary.blocked > 0);
  });
}

function readFlows(file: string, quiet?: boolean) {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--flows: cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = parseFlows(text);
  for (const e of parsed.errors.slice(0, 20)) note(`warning: ${file}:${e.line}: ${e.message}`, quiet);
  const skipped = Object.entries(parsed.skipped).map(([k, v]) => `${v} ${k}`).join(', ');
  if (skipped) note(`skipped flows: ${skipped}`, quiet);
  if (parsed.flows.length === 0) throw new UsageError(`--flows: no usable flow in ${file}`);
  return parsed.flows;
}
