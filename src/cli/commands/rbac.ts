/**
 * `kubeguard rbac who-can|permissions|paths|blast-radius`: the RBAC engine (src/analysis/rbac) behind the
 * same inputs as `scan` (-f/--file, --snapshot, --cluster). Parsing and rendering only.
 * The default bootstrap ClusterRoles/ClusterRoleBindings are included unless --no-bootstrap.
 * Exit codes: 0 answered; 2 usage error; 3 when inputs had errors or a kind the analysis reads could not be read.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { RbacAnalysis, RBAC_INPUT_KINDS } from '../../analysis/rbac/analysis.js';
import { exitCode } from '../../core/outcome.js';
import { parseWorkloadId } from '../../analysis/rbac/blast-radius.js';
import { CAPABILITY_IDS } from '../../analysis/rbac/escalation/model.js';
import type { CapabilityId } from '../../analysis/rbac/escalation/model.js';
import { parseSubject } from '../../analysis/rbac/identity.js';
import { ALL_NAMESPACES } from '../../analysis/rbac/who-can.js';
import type { AccessRequest } from '../../analysis/rbac/types.js';
import { renderPathsDot, renderPathsMermaid } from '../../analysis/rbac/render/paths-graph.js';
import { renderPathsJson } from '../../analysis/rbac/render/paths-json.js';
import { renderPathsText } from '../../analysis/rbac/render/paths-text.js';
import { renderBlastRadiusText, renderPermissionsText, renderWhoCanText } from '../../analysis/rbac/render/who-can-text.js';
import { inputOptions as sharedInputOptions, loadInputs, noteNotEvaluated, type InputFlags, type Inputs } from '../inputs.js';
import { collect, note, oneOf, writeOutput } from '../io.js';

interface RbacFlags extends InputFlags {
  format: string;
  output?: string;
  bootstrap: boolean;
}

function inputOptions(cmd: Command, formats: readonly string[]): Command {
  // who-can's -n is also the namespace of the request, as with `kubectl apply -n NS` then `kubectl auth can-i -n NS`
  return sharedInputOptions(cmd)
    .option('--no-bootstrap', "leave out Kubernetes' default bootstrap ClusterRoles and ClusterRoleBindings")
    .option('-o, --format <format>', `output format: ${formats.join('|')}`, formats[0])
    .option('--output <file>', 'write the result to a file');
}

async function load(flags: RbacFlags): Promise<{ inputs: Inputs; rbac: RbacAnalysis }> {
  const inputs = await loadInputs([], flags, [{ id: 'rbac', kinds: RBAC_INPUT_KINDS }]);
  noteNotEvaluated(inputs, flags.quiet);
  for (const e of inputs.errors) note(`error: ${e.file ?? ''}${e.line ? ':' + e.line : ''} ${e.message}`, flags.quiet);
  const rbac = new RbacAnalysis(inputs.resources, { bootstrap: flags.bootstrap });
  for (const b of rbac.index.unresolvedBindings()) {
    if (b.binding.origin === 'input') note(`warning: ${b.key} refers to ${b.roleLabel}, which is not in the input (it grants nothing here)`, flags.quiet);
  }
  return { inputs, rbac };
}

function finish(text: string, flags: RbacFlags, inputs: Inputs): void {
  writeOutput(text.endsWith('\n') ? text : text + '\n', flags.output);
  process.exitCode = exitCode(inputs);
}

/** kubectl-style resource argument: "pods", "pods/exec", "deployments.apps", "deployments.apps/scale". */
export function parseResourceArg(text: string): { resource: string; apiGroup?: string; subresource?: string } {
  const [head, sub, extra] = text.split('/');
  if (!head || extra !== undefined || sub === '') throw new UsageError(`invalid resource "${text}": use RESOURCE[.GROUP][/SUBRESOURCE]`);
  const dot = head.indexOf('.');
  const out: { resource: string; apiGroup?: string; subresource?: string } = { resource: dot < 0 ? head : head.slice(0, dot) };
  if (dot >= 0) out.apiGroup = head.slice(dot + 1);
  if (sub) out.subresource = sub;
  return out;
}

interface WhoCanFlags extends RbacFlags {
  namespace?: string;
  allNamespaces?: boolean;
  name?: string;
  apiGroup?: string;
  subresource?: string;
  nonResourceUrl?: string;
}

export function requestFromArgs(verb: string, resource: string | undefined, flags: WhoCanFlags): AccessRequest {
  if (flags.nonResourceUrl !== undefined) {
    if (resource) throw new UsageError('give either RESOURCE or --non-resource-url, not both');
    if (!flags.nonResourceUrl.startsWith('/')) throw new UsageError('--non-resource-url must start with "/"');
    return { verb, nonResourceURL: flags.nonResourceUrl };
  }
  if (!resource) throw new UsageError('who-can needs RESOURCE (or --non-resource-url PATH)');
  if (flags.allNamespaces && flags.namespace) throw new UsageError('give either --namespace or --all-namespaces');
  const r = parseResourceArg(resource);
  return {
    verb,
    resource: r.resource,
    apiGroup: flags.apiGroup ?? r.apiGroup ?? '',
    ...(flags.subresource ?? r.subresource ? { subresource: flags.subresource ?? r.subresource } : {}),
    ...(flags.allNamespaces ? { namespace: ALL_NAMESPACES } : flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.name ? { name: flags.name } : {}),
  };
}

export function registerRbac(program: Command): void {
  const rbac = program.command('rbac').description('RBAC analysis: who-can, effective permissions, escalation paths, blast radius');

  inputOptions(
    rbac
      .command('who-can')
      .description('every subject allowed a request, with the binding and role granting it')
      .argument('<verb>', 'get, list, create, update, patch, delete, escalate, bind, impersonate, …')
      .argument('[resource]', 'RESOURCE[.GROUP][/SUBRESOURCE], e.g. pods/exec, deployments.apps')
      .option('-n, --namespace <ns>', 'namespace of the request (omit for cluster-scoped / all-namespaces requests); also that of manifests that set none, as `kubectl apply -n`')
      .option('-A, --all-namespaces', 'allowed in some namespace: count RoleBindings of every namespace')
      .option('--name <name>', 'name of the object (matters for resourceNames)')
      .option('--api-group <group>', 'API group ("" is core)')
      .option('--subresource <sub>', 'subresource (exec, log, scale, …)')
      .option('--non-resource-url <path>', 'a non-resource URL such as /metrics or /healthz'),
    ['text', 'json'],
  ).action(async (verb: string, resource: string | undefined, flags: WhoCanFlags) => {
    const format = oneOf(flags.format, ['text', 'json'], '--format');
    const req = requestFromArgs(verb, resource, flags);
    const { inputs, rbac: a } = await load(flags);
    const result = a.whoCan(req);
    finish(format === 'json' ? JSON.stringify(result, null, 2) : renderWhoCanText(result), flags, inputs);
  });

  inputOptions(
    rbac
      .command('permissions')
      .description('effective permissions of a subject, cluster-wide and per namespace')
      .argument('<subject>', 'user:NAME, group:NAME or sa:NAMESPACE/NAME')
      .option('--group <name>', 'extra group the user belongs to (repeatable)', collect),
    ['text', 'json'],
  ).action(async (subjectText: string, flags: RbacFlags & { group?: string[] }) => {
    const format = oneOf(flags.format, ['text', 'json'], '--format');
    const subject = parseSubject(subjectText);
    const { inputs, rbac: a } = await load(flags);
    const p = a.permissions(subject, flags.group ?? []);
    finish(format === 'json' ? JSON.stringify(p, null, 2) : renderPermissionsText(p), flags, inputs);
  });

  inputOptions(
    rbac
      .command('paths')
      .description('shortest escalation paths to cluster-admin, all secrets or node root')
      .option('--from <subject>', 'only paths from this subject (user:NAME, group:NAME, sa:NS/NAME)')
      .option('--to <capability>', `only paths to: ${CAPABILITY_IDS.join('|')}`),
    ['text', 'json', 'dot', 'mermaid'],
  ).action(async (flags: RbacFlags & { from?: string; to?: string }) => {
    const format = oneOf(flags.format, ['text', 'json', 'dot', 'mermaid'], '--format');
    const to: CapabilityId | undefined = flags.to ? oneOf(flags.to, CAPABILITY_IDS, '--to') : undefined;
    const from = flags.from ? parseSubject(flags.from) : undefined;
    const { inputs, rbac: a } = await load(flags);
    const paths = a.paths({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
    const text =
      format === 'json' ? renderPathsJson(paths) : format === 'dot' ? renderPathsDot(paths) : format === 'mermaid' ? renderPathsMermaid(paths) : renderPathsText(paths);
    finish(text, flags, inputs);
  });

  inputOptions(
    rbac
      .command('blast-radius')
      .description("what a compromised container of a workload gets: its service account, token, rights and escalation")
      .argument('<workload>', 'NAMESPACE/KIND/NAME, e.g. ci/Deployment/runner'),
    ['text', 'json'],
  ).action(async (workload: string, flags: RbacFlags) => {
    const format = oneOf(flags.format, ['text', 'json'], '--format');
    const id = parseWorkloadId(workload);
    const { inputs, rbac: a } = await load(flags);
    const br = a.blastRadius(id);
    finish(format === 'json' ? JSON.stringify(br, null, 2) : renderBlastRadiusText(br), flags, inputs);
  });
}
