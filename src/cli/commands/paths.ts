/**
 * `kubeguard paths [PATH...] [--from internet|WORKLOAD|SUBJECT] [--to cluster-admin|secrets|nodes|WORKLOAD] [--top N]`:
 * attack paths (src/analysis/paths) over the same inputs as every analysis command, with optional image
 * vulnerabilities (--vulns) and runtime incidents (--incidents). Parsing and rendering only.
 * Exit codes: 0 answered; 2 usage error; 3 when inputs had errors (the answer may be incomplete).
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { AttackGraph, findPaths, renderPathsDot, renderPathsJson, renderPathsMermaid, renderPathsTable, TARGETS, ENTRY_INTERNET, ENTRY_INCIDENTS } from '../../analysis/paths/index.js';
import { parseIncidents, parseVulnerabilities } from '../../analysis/paths/inputs.js';
import { parseSubject, subjectKey } from '../../analysis/rbac/identity.js';
import { readInputFile } from '../../sources/files/read-input.js';
import { loadInputs, NAMESPACE_OPTION, noteNotEvaluated, type InputFlags } from '../inputs.js';
import { RBAC_INPUT_KINDS } from '../../analysis/rbac/analysis.js';
import { NETWORK_INPUT_KINDS } from '../../analysis/network/cluster.js';
import { collect, intFlag, note, oneOf, writeOutput } from '../io.js';

interface PathsFlags extends InputFlags {
  from?: string;
  to?: string;
  top?: string;
  format: string;
  output?: string;
  explain?: boolean;
  bootstrap: boolean;
  vulns?: string;
  incidents?: string;
}

const FORMATS = ['table', 'json', 'dot', 'mermaid'] as const;
/** The kinds the graph is built from: a kind the cluster would not list makes the answer incomplete (exit 3). */
const NEEDS = [{ id: 'paths-rbac', kinds: RBAC_INPUT_KINDS }, { id: 'paths-network', kinds: NETWORK_INPUT_KINDS }];
const MAX_SIDE_INPUT = 256 * 1024 * 1024;

function readJson(path: string, flag: string): unknown {
  try {
    return JSON.parse(readInputFile(path, MAX_SIDE_INPUT).toString('utf8'));
  } catch (e) {
    throw new UsageError(`${flag} ${path}: ${e instanceof SyntaxError ? 'not valid JSON' : e instanceof Error ? e.message : 'unreadable'}`);
  }
}

/** internet | incidents | Kind/namespace/name | user:NAME, group:NAME, sa:NS/NAME. */
function resolveFrom(g: AttackGraph, text: string): string {
  if (text === ENTRY_INTERNET || text === ENTRY_INCIDENTS) return text;
  if (/^(user|group|sa):/.test(text)) {
    const id = subjectKey(parseSubject(text));
    g.ensureIdentity(id);
    return id;
  }
  if (g.workloads.has(text)) return text;
  throw new UsageError(`--from ${text}: not "internet", a subject (user:NAME, group:NAME, sa:NS/NAME) or a workload of the input (Kind/namespace/name)`);
}

function resolveTo(g: AttackGraph, text: string): string {
  if ((TARGETS as readonly string[]).includes(text)) return text;
  if (g.workloads.has(text)) return text;
  throw new UsageError(`--to ${text}: not ${TARGETS.join('|')} or a workload of the input (Kind/namespace/name)`);
}

export function registerPaths(program: Command): void {
  program
    .command('paths')
    .description('attack paths from the internet (or a workload or subject) to cluster-admin, all Secrets, node root or a workload, and the smallest cut')
    .argument('[paths...]', 'manifest files or directories (- for stdin)')
    .option('--from <source>', 'internet | incidents | WORKLOAD (Kind/namespace/name) | SUBJECT (user:NAME, group:NAME, sa:NS/NAME)')
    .option('--to <target>', `${TARGETS.join(' | ')} | WORKLOAD (Kind/namespace/name)`)
    .option('--top <n>', 'at most N paths, the highest scores first (the cut still breaks all)')
    .option('--explain', 'the evidence and MITRE technique of every hop (table)')
    .option('--vulns <file>', 'image vulnerabilities: {"images": {"REF": [{"id","severity","fixedVersion","knownExploited"}]}}')
    .option('--incidents <file>', 'runtime incidents (`kubeguard runtime analyze --format json`): their workloads become entry points')
    .option('-f, --file <path>', 'input file or directory (repeatable)', collect)
    .option('--snapshot <file>', 'a snapshot or `kubectl get -o json` dump')
    .option('--cluster', 'read the live cluster of the current kubeconfig context')
    .option('--context <name>', 'kubeconfig context (with --cluster)')
    .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
    .option(...NAMESPACE_OPTION)
    .option('--no-bootstrap', "leave out Kubernetes' default bootstrap ClusterRoles and ClusterRoleBindings")
    .option('-o, --format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option('--output <file>', 'write the result to a file')
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (paths: string[], flags: PathsFlags) => {
      const format = oneOf(flags.format, FORMATS, '--format');
      const top = flags.top === undefined ? undefined : intFlag(flags.top, '--top', 1, 1_000_000);
      const vulnerabilities = flags.vulns ? parseVulnerabilities(readJson(flags.vulns, '--vulns'), '--vulns') : undefined;
      const incidents = flags.incidents ? parseIncidents(readJson(flags.incidents, '--incidents'), '--incidents') : undefined;
      const inputs = await loadInputs(paths, flags, NEEDS);
      noteNotEvaluated(inputs, flags.quiet);
      for (const e of inputs.errors) note(`error: ${e.file ?? ''}${e.line ? ':' + e.line : ''} ${e.message}`, flags.quiet);
      const g = new AttackGraph({ objects: inputs.resources.map((r) => r.object), vulnerabilities, incidents, bootstrap: flags.bootstrap });
      for (const n of g.notes) note(`warning: ${n}`, flags.quiet);
      if (!vulnerabilities) note('note: no --vulns given: no container is known to be exploitable, so no path starts at the internet', flags.quiet);
      const answer = findPaths(g, { ...(flags.from ? { from: [resolveFrom(g, flags.from)] } : {}), ...(flags.to ? { to: [resolveTo(g, flags.to)] } : {}), ...(top ? { top } : {}) });
      const text = format === 'json' ? renderPathsJson(answer) : format === 'dot' ? renderPathsDot(answer) : format === 'mermaid' ? renderPathsMermaid(answer) : renderPathsTable(answer, flags.explain);
      writeOutput(text, flags.output);
      process.exitCode = inputs.errors.length > 0 || inputs.notEvaluated.length > 0 ? 3 : 0;
    });
}
