/**
 * `kubeguard netpol reach|matrix|isolation|exposure|diff|generate|simulate`: the NetworkPolicy engine
 * (src/analysis/network) behind the same inputs as `scan` (-f/--file, --snapshot, --cluster). Parsing and
 * rendering only; the semantics live in the library.
 *
 * Exit codes: reach 0 allowed / 1 denied; diff 0 no change / 1 changes; simulate 0 nothing blocked / 1 some flow
 * blocked; others 0; 2 usage error; 3 when inputs had errors.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { KubeObject } from '../../core/model.js';
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
} from '../../analysis/network/index.js';
import { loadInputs, NAMESPACE_OPTION, type InputFlags, type Inputs } from '../inputs.js';
import { collect, note, oneOf, writeOutput } from '../io.js';

interface NetpolFlags extends InputFlags {
  format: string;
  output?: string;
}

function inputOptions(cmd: Command): Command {
  return cmd
    .option('-f, --file <path>', 'input file or directory (repeatable)', collect)
    .option(...NAMESPACE_OPTION)
    .option('--snapshot <file>', 'a snapshot or `kubectl get -o json` dump')
    .option('--cluster', 'read the live cluster of the current kubeconfig context')
    .option('--context <name>', 'kubeconfig context (with --cluster)')
    .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
    .option('--output <file>', 'write the result to a file')
    .option('-q, --quiet', 'no notes on stderr');
}

async function load(paths: string[], flags: InputFlags): Promise<{ inputs: Inputs; cluster: NetCluster }> {
  const inputs = await loadInputs(paths, flags);
  for (const e of inputs.errors) note(`error: ${e.file ?? ''}${e.line ? ':' + e.line : ''} ${e.message}`, flags.quiet);
  const cluster = buildCluster(inputs.resources.map((r) => r.object));
  for (const w of cluster.warnings) note(`warning: ${w}`, flags.quiet);
  return { inputs, cluster };
}

function finish(text: string, flags: NetpolFlags, inputs: Inputs[], code: number): void {
  writeOutput(text.endsWith('\n') ? text : text + '\n', flags.output);
  process.exitCode = inputs.some((i) => i.errors.length > 0) ? 3 : code;
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
    finish(format === 'json' ? JSON.stringify(r, null, 2) : renderReach(r), flags, [inputs], r.allowed ? 0 : 1);
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
    finish(renderMatrix(computeMatrix(cluster), format), flags, [inputs], 0);
  });

  inputOptions(
    netpol
      .command('isolation')
      .description('pods selected by no ingress and/or no egress NetworkPolicy')
      .argument('[paths...]', 'files, directories, or - for stdin')
      .option('-o, --format <format>', 'table|json', 'table'),
  ).action(async (paths: string[], flags: NetpolFlags) => {
    const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
    const { inputs, cluster } = await load(paths, flags);
    const r = isolation(cluster);
    finish(format === 'json' ? JSON.stringify(r, null, 2) : renderIsolationTable(r), flags, [inputs], 0);
  });

  inputOptions(
    netpol
      .command('exposure')
      .description('what outside traffic can reach: internet-admitting policies, LoadBalancer/NodePort/externalIPs, Ingress and HTTPRoute backends')
      .argument('[paths...]', 'files, directories, or - for stdin')
      .option('-o, --format <format>', 'table|json', 'table'),
  ).action(async (paths: string[], flags: NetpolFlags) => {
    const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
    const { inputs, cluster } = await load(paths, flags);
    const r = exposure(cluster);
    finish(format === 'json' ? JSON.stringify(r, null, 2) : renderExposureTable(r), flags, [inputs], 0);
  });

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
      const before = await load([oldPath], flags);
      const after = await load([newPath], flags);
      const r = diff(before.cluster, after.cluster);
      const changed = r.newlyAllowed.length + r.newlyDenied.length > 0;
      finish(format === 'json' ? JSON.stringify(r, null, 2) : renderDiffTable(r), flags, [before.inputs, after.inputs], changed ? 1 : 0);
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
    const hasInput = paths.length > 0 || (flags.file?.length ?? 0) > 0 || !!flags.snapshot || !!flags.cluster;
    const { inputs, cluster } = hasInput ? await load(paths, flags) : { inputs: undefined, cluster: buildCluster([]) };
    const r = generatePolicies(parsed, cluster, { egress: flags.egress });
    for (const w of r.warnings) note(`warning: ${w}`, flags.quiet);
    note(`${r.policies.length} policies from ${parsed.length} flows`, flags.quiet);
    const text = format === 'json' ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: r.policies.map((p) => p.object) }, null, 2) : r.yaml;
    finish(text, flags, inputs ? [inputs] : [], 0);
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
    const hasBase = (flags.file?.length ?? 0) > 0 || !!flags.snapshot || !!flags.cluster;
    const base = hasBase ? await loadInputs([], flags) : undefined;
    const candidates = policyPaths.length ? await loadInputs(policyPaths, { quiet: flags.quiet }) : undefined;
    const baseObjects: KubeObject[] = (base?.resources ?? []).map((r) => r.object).filter((o) => !(flags.replace && o.kind === 'NetworkPolicy'));
    const cluster = buildCluster([...baseObjects, ...(candidates?.resources ?? []).map((r) => r.object)]);
    for (const w of cluster.warnings) note(`warning: ${w}`, flags.quiet);
    const r = simulate(flows, cluster);
    const all = [base, candidates].filter((x): x is Inputs => !!x);
    finish(format === 'json' ? JSON.stringify(r, null, 2) : renderSimulationTable(r), flags, all, r.summary.blocked > 0 ? 1 : 0);
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
