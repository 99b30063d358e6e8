/**
 * `kubeguard install [--components a,b] [--namespace NS] [--image REF]` — flags and output only; the
 * components and the bundle are src/install.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { RULES } from '../../engine/catalog.js';
import { parseReference } from '../../core/image-ref.js';
import { AGENT_MODES, DEFAULT_IMAGE } from '../../install/component.js';
import { COMPONENTS, componentNames } from '../../install/registry.js';
import { buildBundle, hostNamespace, renderKustomizeBase, renderStream } from '../../install/bundle.js';
import { intFlag, note, oneOf, writeOutput } from '../io.js';

export interface InstallFlags {
  components?: string;
  namespace: string;
  image: string;
  replicas: string;
  failurePolicy: string;
  certManager?: boolean;
  validDays: string;
  agentMode: string;
  output?: string;
  outputDir?: string;
  list?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,56}[a-z0-9])?$/; // leaves room for the host namespace's "-node"

function listComponents(): string {
  return COMPONENTS.map((c) => [`${c.name} (${c.placement === 'host' ? 'needs the host: runs in <namespace>-node' : 'Pod Security restricted'})`, `  ${c.summary}`, ...c.needs.map((n) => `  - ${n}`), ...(c.hostExceptions ?? []).map((e) => `  ! excepted from ${e.rules.join(', ')}: ${e.reason}`)].join('\n')).join('\n\n') + '\n';
}

export function registerInstall(program: Command): void {
  program
    .command('install')
    .description('print the manifests that install kubeguard in a cluster, as one Kustomize base (pipe into kubectl apply -f -, or --output-dir then kubectl apply -k)')
    .option('--components <names>', `comma-separated parts to install (default: all of ${componentNames().join(', ')})`)
    .option('-n, --namespace <name>', 'namespace of the restricted parts (host parts go to <name>-node)', 'kubeguard')
    .option('--image <ref>', 'image every part runs; give it by digest (REF@sha256:…) to pin it', DEFAULT_IMAGE)
    .option('--replicas <n>', 'replicas of the replicated parts', '2')
    .option('--failure-policy <policy>', 'webhook: what the API server does when it is unreachable: Fail|Ignore', 'Fail')
    .option('--cert-manager', 'serving certificates from cert-manager (no private keys in the manifests: use this for GitOps)')
    .option('--valid-days <days>', 'validity of generated certificates', '365')
    .option('--agent-mode <mode>', 'agent: watch (a Deployment passing hourly and soon after the cluster changes; list+watch) or cronjob (hourly; list only)', 'watch')
    .option('--output <file>', 'write one YAML stream to a file')
    .option('--output-dir <dir>', 'write a Kustomize base (kustomization.yaml and one file per part) to a directory')
    .option('--list', 'list the components, what each needs and why')
    .action(install);
}

/** The action of `kubeguard install` (and of `kubeguard server install`, which chooses the server's parts). */
export async function install(flags: InstallFlags): Promise<void> {
  if (flags.list) return writeOutput(listComponents(), flags.output);
  if (flags.output && flags.outputDir) throw new UsageError('give --output or --output-dir, not both');
  const known = componentNames();
  const wanted = flags.components === undefined ? known : [...new Set(flags.components.split(',').map((s) => s.trim()).filter(Boolean))];
  if (wanted.length === 0) throw new UsageError('--components needs at least one name');
  for (const name of wanted) if (!known.includes(name)) throw new UsageError(`--components: no component "${name}" in this version (available: ${known.join(', ')})`);
  if (!DNS_LABEL.test(flags.namespace)) throw new UsageError(`--namespace must be a DNS label of at most 58 characters (got "${flags.namespace}")`);
  const image = parseReference(flags.image);
  if (!image.digest) note(`kubeguard: ${flags.image} is not pinned by digest; give --image REF@sha256:… so every node runs the same bytes`);
  const components = COMPONENTS.filter((c) => wanted.includes(c.name));
  const bundle = await buildBundle(components, {
    namespace: flags.namespace,
    image: flags.image,
    replicas: intFlag(flags.replicas, '--replicas', 1, 100),
    failurePolicy: oneOf(flags.failurePolicy, ['Fail', 'Ignore'] as const, '--failure-policy'),
    certManager: flags.certManager === true,
    validDays: intFlag(flags.validDays, '--valid-days', 1, 3650),
    agentMode: oneOf(flags.agentMode, AGENT_MODES, '--agent-mode'),
    catalog: RULES,
    now: new Date(),
  });
  if (components.some((c) => c.placement === 'host')) note(`kubeguard: host parts go to namespace ${hostNamespace(flags.namespace)} (Pod Security privileged; their exceptions are annotated)`);
  if (!flags.outputDir) return writeOutput(renderStream(bundle), flags.output);
  mkdirSync(flags.outputDir, { recursive: true });
  for (const [name, text] of renderKustomizeBase(bundle)) writeFileSync(join(flags.outputDir, name), text, { mode: 0o600 });
  note(`kubeguard: wrote a Kustomize base to ${flags.outputDir}: kubectl apply -k ${flags.outputDir}`);
}
