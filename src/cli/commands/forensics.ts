/** `kubeguard forensics capture|quarantine NS/POD` — evidence from a live cluster, and the opt-in response. */
import type { Command } from 'commander';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import YAML from 'yaml';
import { UsageError } from '../../core/errors.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { loadKubeConfig, readCluster, objectsToResources, clusterSourceName } from '../../sources/cluster/index.js';
import { kubeConfigRequest } from '../../sources/cluster/transport.js';
import { ObjectClient } from '../../sources/cluster/object-client.js';
import { tarGzip } from '../../sources/forensics/tar.js';
import { captureForensics } from '../../usecases/runtime/forensics.js';
import { planQuarantine, sendQuarantine } from '../../usecases/runtime/quarantine.js';
import type { KubeObject } from '../../core/model.js';
import { note, oneOf, writeOutput } from '../io.js';
import { exitCode } from '../../core/outcome.js';

interface ClusterFlags {
  context?: string;
  kubeconfig?: string;
  quiet?: boolean;
}

function target(text: string): { namespace: string; pod: string } {
  const [namespace, pod, extra] = text.split('/');
  if (!namespace || !pod || extra !== undefined) throw new UsageError(`give the pod as NAMESPACE/POD (got "${text}")`);
  return { namespace, pod };
}

async function client(flags: ClusterFlags): Promise<{ client: ObjectClient; context: string; server: string }> {
  const { kc, context, server } = await loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  return { client: new ObjectClient(kubeConfigRequest(kc, { timeoutMs: 30_000 })), context, server };
}

export function registerForensics(program: Command): void {
  const forensics = program.command('forensics').description('evidence from a live cluster, and the opt-in quarantine response');
  forensics
    .command('capture')
    .description('capture a pod: spec and owners, events, logs (current and previous), image digests, RBAC power and reachability, incidents and recent events; tar.gz with a SHA-256 manifest')
    .argument('<ns/pod>', 'the pod')
    .requiredOption('-o, --output <file>', 'the archive to write (.tar.gz)')
    .option('--events <file>', 'event file to search for the pod\'s incidents and recent events (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--no-cluster-context', 'do not read the cluster\'s RBAC and NetworkPolicies (faster; those parts are then missing)')
    .option('--config <file>', 'kubeguard.yaml')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (ref: string, flags: ClusterFlags & { output: string; events?: string[]; clusterContext: boolean; config?: string }) => {
      const { namespace, pod } = target(ref);
      const { config } = await loadConfig(flags.config);
      const c = await client(flags);
      note(`capturing ${namespace}/${pod} from ${c.context}`, flags.quiet);
      const resources = flags.clusterContext ? await readCluster({ kubeconfig: flags.kubeconfig, context: flags.context, now: new Date(), onProgress: (m) => note(m, flags.quiet) }).then((s) => objectsToResources(s.objects, clusterSourceName(s.context))) : undefined;
      const { entries, manifest } = await captureForensics({ client: c.client, namespace, pod, config, resources, eventFiles: flags.events, cluster: { context: c.context, server: c.server }, now: () => new Date() });
      const tmp = join(dirname(flags.output), `.${basename(flags.output)}.${process.pid}.tmp`);
      try {
        writeFileSync(tmp, tarGzip(entries), { mode: 0o600 });
        renameSync(tmp, flags.output);
      } catch (e) {
        try {
          unlinkSync(tmp);
        } catch {
          /* nothing written */
        }
        throw e;
      }
      note(`wrote ${flags.output}: ${manifest.files.length} files${manifest.missing.length ? `; missing: ${manifest.missing.map((m) => `${m.part} (${m.reason})`).join('; ')}` : ''}`, flags.quiet);
      process.exitCode = exitCode({ errors: manifest.missing });
    });
  forensics
    .command('quarantine')
    .description('label the pod and isolate it with a deny-all NetworkPolicy: shows the patch and checks it with a server-side dry run; --apply applies it')
    .argument('<ns/pod>', 'the pod')
    .option('--apply', 'apply the change (default: dry run only)')
    .option('--detach', 'also remove the labels its controller and Services select, so it leaves them (the controller replaces it)')
    .option('--format <format>', 'text|json', 'text')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (ref: string, flags: ClusterFlags & { apply?: boolean; detach?: boolean; format: string }) => {
      const format = oneOf(flags.format, ['text', 'json'] as const, '--format');
      const { namespace, pod } = target(ref);
      const c = await client(flags);
      const podObj = await c.client.getJson<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`);
      const policies = (await c.client.getJson<{ items?: KubeObject[] }>(`/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/networkpolicies`)).items ?? [];
      const resources = objectsToResources(policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...p })), clusterSourceName(c.context));
      const plan = planQuarantine(podObj, resources, { detach: flags.detach });
      const dry = await sendQuarantine(c.client, plan, true);
      const applied = flags.apply ? await sendQuarantine(c.client, plan, false) : undefined;
      if (format === 'json') {
        writeOutput(JSON.stringify({ plan, dryRun: { accepted: true, policy: dry.policy === 'exists' ? 'exists' : 'created' }, applied: Boolean(applied) }, null, 2) + '\n');
      } else {
        const lines = [
          `# ${flags.apply ? 'applied' : 'dry run (accepted by the API server; nothing changed — add --apply)'}: quarantine ${namespace}/${pod}`,
          `# kubectl patch pod -n ${namespace} ${pod} --type merge -p '${JSON.stringify(plan.podPatch)}'`,
          '# and the NetworkPolicy' + (dry.policy === 'exists' ? ' (already in the namespace):' : ':'),
          YAML.stringify(plan.policy).trimEnd(),
        ];
        if (plan.stillAllowedBy.ingress.length || plan.stillAllowedBy.egress.length) {
          lines.push(`# warning: NetworkPolicies add up; still allowing the pod's traffic: ${[...plan.stillAllowedBy.ingress.map((n) => `${n} (ingress)`), ...plan.stillAllowedBy.egress.map((n) => `${n} (egress)`)].join(', ')}${flags.detach ? '' : ' — --detach removes the labels they select on'}`);
        }
        writeOutput(lines.join('\n') + '\n');
      }
      note(flags.apply ? `quarantined ${namespace}/${pod}` : 'dry run only: nothing changed', flags.quiet);
    });
}
