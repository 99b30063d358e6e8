/**
 * Forensic capture of one pod from a live cluster: its object and owner chain, the Kubernetes events about them,
 * every container's logs (current and previous), the image digests it runs, what its service account can do and
 * reach (RBAC blast radius, exposure, NetworkPolicy isolation), and the incidents and recent events about it from
 * event files. Everything goes into a tar.gz with a manifest (SHA-256, size and capture time of each file) and a
 * SHA256SUMS file `sha256sum -c` verifies. A piece that cannot be read is listed in the manifest, not fatal.
 */
import { createHash } from 'node:crypto';
import type { KubeObject, Resource } from '../../core/model.js';
import type { RuntimeEvent } from '../../core/events/model.js';
import { encodeEvent } from '../../core/events/wire.js';
import { allContainers, podTemplateOf } from '../../core/podspec.js';
import { controllerRef } from '../../core/ref.js';
import { errorMessage } from '../../core/errors.js';
import { isJsonMap } from '../../core/json.js';
import type { KubeguardConfig } from '../../engine/config.js';
import type { ObjectClient } from '../../sources/cluster/object-client.js';
import type { TarEntry } from '../../sources/forensics/tar.js';
import { readEventFiles } from '../../sources/events/files.js';
import { RuntimeEngine } from '../../analysis/runtime/engine.js';
import { incidentWorkload, type Incident } from '../../analysis/runtime/incidents.js';
import { workloadKey } from '../../analysis/runtime/baseline.js';
import { buildCluster } from '../../analysis/network/cluster.js';
import { isolation } from '../../analysis/network/isolation.js';
import { RuntimeExceptions, incidentGap, resolveDetectors } from '../../engine/runtime.js';
import { decorate, runtimeEnvironment, runtimePosture } from './analyze.js';
import { incidentJson } from '../../reporters/incidents.js';
import { TOOL } from '../../engine/report.js';

export interface CaptureInput {
  client: ObjectClient;
  namespace: string;
  pod: string;
  config: KubeguardConfig;
  /** Cluster objects (a live read) for RBAC and network context; none: those parts are listed as missing. */
  resources?: readonly Resource[];
  /** Event files to search for the pod's incidents and recent events. */
  eventFiles?: readonly string[];
  /** Recent events kept (the latest ones). */
  maxEvents?: number;
  cluster?: { context: string; server: string };
  /** The wall clock: capture times. */
  now: () => Date;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  capturedAt: string;
}

export interface CaptureManifest {
  tool: { name: string; version: string };
  target: { namespace: string; pod: string; uid?: string; workload?: string };
  cluster?: { context: string; server: string };
  startedAt: string;
  completedAt: string;
  files: ManifestFile[];
  /** What could not be captured, and why. */
  missing: { part: string; reason: string }[];
}

const OWNER_PATHS: Record<string, string> = {
  ReplicaSet: '/apis/apps/v1/namespaces/{ns}/replicasets/{name}',
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments/{name}',
  StatefulSet: '/apis/apps/v1/namespaces/{ns}/statefulsets/{name}',
  DaemonSet: '/apis/apps/v1/namespaces/{ns}/daemonsets/{name}',
  Job: '/apis/batch/v1/namespaces/{ns}/jobs/{name}',
  CronJob: '/apis/batch/v1/namespaces/{ns}/cronjobs/{name}',
  ReplicationController: '/api/v1/namespaces/{ns}/replicationcontrollers/{name}',
};

const enc = encodeURIComponent;

function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata?.managedFields) return o;
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}

export async function captureForensics(input: CaptureInput): Promise<{ entries: TarEntry[]; manifest: CaptureManifest }> {
  const { client, namespace, pod } = input;
  const startedAt = input.now();
  const entries: TarEntry[] = [];
  const files: ManifestFile[] = [];
  const missing: CaptureManifest['missing'] = [];
  const add = (path: string, data: string | Buffer) => {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const at = input.now();
    entries.push({ name: path, data: buf, mtime: at });
    files.push({ path, sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length, capturedAt: at.toISOString() });
  };
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

  // the pod itself: without it there is nothing to capture
  const podObj = withoutManagedFields(await client.getJson<KubeObject>(`/api/v1/namespaces/${enc(namespace)}/pods/${enc(pod)}`));
  add('pod.json', json(podObj));

  // owner chain up to the top controller
  const owners: KubeObject[] = [];
  for (let cur: KubeObject = podObj, i = 0; i < 4; i++) {
    const ctl = controllerRef(cur);
    const tpl = ctl ? OWNER_PATHS[ctl.kind] : undefined;
    if (!ctl || !tpl) break;
    try {
      const owner = withoutManagedFields(await client.getJson<KubeObject>(tpl.replace('{ns}', enc(namespace)).replace('{name}', enc(ctl.name))));
      owners.push(owner);
      add(`owners/${owners.length}-${ctl.kind}-${ctl.name}.json`, json(owner));
      cur = owner;
    } catch (e) {
      missing.push({ part: `owner ${ctl.kind}/${ctl.name}`, reason: errorMessage(e) });
      break;
    }
  }
  const top = owners[owners.length - 1] ?? podObj;
  const workload = `${top.kind}/${namespace}/${top.metadata?.name ?? pod}`;

  // Kubernetes events about the pod and its owners
  const names = new Set([pod, ...owners.map((o) => o.metadata?.name)]);
  try {
    const list = await client.getJson<{ items?: KubeObject[] }>(`/api/v1/namespaces/${enc(namespace)}/events?fieldSelector=${enc(`involvedObject.name=${pod}`)}`);
    let items = list.items ?? [];
    if (owners.length) items = (await client.getJson<{ items?: KubeObject[] }>(`/api/v1/namespaces/${enc(namespace)}/events`)).items ?? [];
    add('events.json', json(items.filter((e) => isJsonMap(e.involvedObject) && names.has(e.involvedObject.name as string))));
  } catch (e) {
    missing.push({ part: 'events', reason: errorMessage(e) });
  }

  // container logs, current and previous, of every container (init and ephemeral included)
  const t = podTemplateOf(podObj);
  for (const c of t ? allContainers(t.spec, t.specPath) : []) {
    const name = c.container.name ?? `${c.kind}-${c.index}`;
    for (const previous of [false, true]) {
      const path = `/api/v1/namespaces/${enc(namespace)}/pods/${enc(pod)}/log?container=${enc(name)}${previous ? '&previous=true' : ''}&timestamps=true`;
      try {
        add(`logs/${name}${previous ? '.previous' : ''}.log`, await client.getText(path));
      } catch (e) {
        const reason = errorMessage(e);
        // no previous container is the common case, not a gap in the capture
        if (!(previous && /previous terminated container/.test(reason))) missing.push({ part: `logs of ${name}${previous ? ' (previous)' : ''}`, reason });
      }
    }
  }

  // image digests as the kubelet reports them
  const status = isJsonMap(podObj.status) ? podObj.status : {};
  const statuses = ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'].flatMap((k) => (Array.isArray(status[k]) ? status[k].filter(isJsonMap) : []));
  add('images.json', json(statuses.map((s) => ({ container: s.name, image: s.image, imageID: s.imageID, containerID: s.containerID, restartCount: s.restartCount, state: s.state }))));

  // what the workload can do and reach, from the cluster's objects
  const identity = { namespace, pod, ...(owners.length ? { owner: { kind: top.kind!, name: top.metadata?.name ?? pod } } : {}) };
  const pseudo = { workload: incidentWorkload(identity), severity: 'info', count: 0 } as unknown as Incident;
  if (input.resources) {
    const posture = runtimePosture(input.resources, input.config, startedAt);
    const ctx = posture.context(pseudo);
    add('rbac.json', json({ workload, serviceAccount: ctx.serviceAccount ?? null }));
    const net = isolation(buildCluster(input.resources.map((r) => r.object)));
    const key = `${namespace}/${top.metadata?.name ?? pod}`;
    add('network.json', json({ workload, exposure: ctx.exposure ?? null, isolation: net.pods.find((p) => `${p.namespace}/${p.pod}` === key || p.pod === key) ?? null }));
    add('posture.json', json({ workload, findingCount: ctx.findingCount ?? 0, findings: ctx.findings ?? [] }));
  } else missing.push({ part: 'RBAC, network and posture context', reason: 'no cluster objects were read' });

  // incidents and recent events about it
  if (input.eventFiles?.length) {
    const wanted = workloadKey(identity);
    const recent: RuntimeEvent[] = [];
    const max = input.maxEvents ?? 10_000;
    const { detectors, settings } = resolveDetectors(input.config);
    const closed: Incident[] = [];
    const { environment } = runtimeEnvironment(input.config);
    const engine = new RuntimeEngine({ detectors, settings, environment, suppress: new RuntimeExceptions(input.config.exceptions ?? []).suppress, limits: { gapMs: incidentGap(input.config) }, onClose: (i) => closed.push(i) });
    const about = (e: RuntimeEvent) => e.workload.pod === pod && (e.workload.namespace ?? namespace) === namespace ? true : wanted !== undefined && workloadKey(e.workload) === wanted;
    const { failed } = await readEventFiles(input.eventFiles, (e) => {
      if (!about(e)) return;
      engine.process(e);
      recent.push(e);
      if (recent.length > max) recent.shift();
    });
    engine.finish();
    for (const f of failed) missing.push({ part: `events from ${f.file}`, reason: f.message });
    add('incidents.json', json(decorate(closed, undefined).map(incidentJson)));
    add('events.jsonl', recent.map(encodeEvent).join('\n') + (recent.length ? '\n' : ''));
  }

  const manifest: CaptureManifest = {
    tool: TOOL,
    target: { namespace, pod, ...(typeof podObj.metadata?.uid === 'string' ? { uid: podObj.metadata.uid } : {}), workload },
    ...(input.cluster ? { cluster: input.cluster } : {}),
    startedAt: startedAt.toISOString(),
    completedAt: input.now().toISOString(),
    files,
    missing,
  };
  const manifestText = json(manifest);
  const sums = [...files, { path: 'manifest.json', sha256: createHash('sha256').update(manifestText).digest('hex') }].map((f) => `${f.sha256}  ${f.path}`).join('\n') + '\n';
  entries.push({ name: 'manifest.json', data: Buffer.from(manifestText), mtime: input.now() }, { name: 'SHA256SUMS', data: Buffer.from(sums), mtime: input.now() });
  return { entries, manifest };
}
