/**
 * Every pod-bearing kind mapped to its pod spec, with the JSON pointer to it.
 * allContainers() always covers containers, initContainers and ephemeralContainers.
 */
import type { KubeObject, ObjectMeta } from './model.js';
import { join } from './pointer.js';
import { isJsonMap as isMap, type JsonMap } from './json.js';

export type { JsonMap };

export interface PodTemplateRef {
  /** Metadata of the pod (template metadata for workloads). */
  metadata: ObjectMeta;
  spec: PodSpec;
  /** Pointer to the pod spec inside the object, e.g. /spec/template/spec. */
  specPath: string;
  /** Pointer to the pod metadata inside the object. */
  metadataPath: string;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  securityContext?: JsonMap;
  volumes?: JsonMap[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  os?: { name?: string };
  [key: string]: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  securityContext?: JsonMap;
  ports?: JsonMap[];
  env?: JsonMap[];
  resources?: { limits?: JsonMap; requests?: JsonMap };
  [key: string]: unknown;
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  container: Container;
  kind: ContainerKind;
  index: number;
  /** Pointer to the container inside the object. */
  path: string;
}

/** Kinds whose pod template sits at /spec/template. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

export const POD_BEARING_KINDS = ['Pod', 'PodTemplate', 'CronJob', ...TEMPLATE_KINDS] as const;

function templateAt(obj: unknown, path: string[]): { meta: ObjectMeta; spec: PodSpec } | undefined {
  let cur: unknown = obj;
  for (const k of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  if (!isMap(cur) || !isMap(cur.spec)) return undefined;
  return { meta: isMap(cur.metadata) ? (cur.metadata as ObjectMeta) : {}, spec: cur.spec as PodSpec };
}

/**
 * The pod template of an object, or undefined when it carries none.
 * Unknown kinds (CRDs) are recognised when they carry a standard pod template at /spec/template.
 */
export function podTemplateOf(obj: KubeObject): PodTemplateRef | undefined {
  // Every pod rule asks for the template of the object the scan is on: the last answer is kept. (A cache per
  // object, a WeakMap, kept every admission request's object alive into the old generation.)
  if (lastTemplate.obj !== obj) {
    lastTemplate.obj = obj;
    lastTemplate.template = findPodTemplate(obj);
  }
  return lastTemplate.template;
}

const lastTemplate: { obj: KubeObject | undefined; template: PodTemplateRef | undefined } = { obj: undefined, template: undefined };

function findPodTemplate(obj: KubeObject): PodTemplateRef | undefined {
  const kind = obj.kind ?? '';
  if (kind === 'Pod') {
    if (!isMap(obj.spec)) return undefined;
    return { metadata: obj.metadata ?? {}, spec: obj.spec as PodSpec, specPath: '/spec', metadataPath: '/metadata' };
  }
  if (kind === 'PodTemplate') {
    const t = templateAt(obj, ['template']);
    return t && { metadata: t.meta, spec: t.spec, specPath: '/template/spec', metadataPath: '/template/metadata' };
  }
  if (kind === 'CronJob') {
    const t = templateAt(obj, ['spec', 'jobTemplate', 'spec', 'template']);
    return (
      t && {
        metadata: t.meta,
        spec: t.spec,
        specPath: '/spec/jobTemplate/spec/template/spec',
        metadataPath: '/spec/jobTemplate/spec/template/metadata',
      }
    );
  }
  const t = templateAt(obj, ['spec', 'template']);
  if (!t) return undefined;
  // A CRD's /spec/template counts only when it looks like a pod template (has containers).
  if (!TEMPLATE_KINDS.has(kind) && !Array.isArray(t.spec.containers)) return undefined;
  return { metadata: t.meta, spec: t.spec, specPath: '/spec/template/spec', metadataPath: '/spec/template/metadata' };
}

export function isPodBearing(obj: KubeObject): boolean {
  return podTemplateOf(obj) !== undefined;
}

const CONTAINER_KINDS: ContainerKind[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** Every container of a pod spec (init, regular and ephemeral), with its pointer. */
export function allContainers(spec: PodSpec, specPath: string): readonly ContainerRef[] {
  // Asked by every container rule for the pod the scan is on: the last answer is kept (see podTemplateOf).
  if (lastContainers.spec !== spec || lastContainers.path !== specPath) {
    lastContainers.spec = spec;
    lastContainers.path = specPath;
    lastContainers.refs = findContainers(spec, specPath);
  }
  return lastContainers.refs;
}

const lastContainers: { spec: PodSpec | undefined; path: string; refs: readonly ContainerRef[] } = { spec: undefined, path: '', refs: [] };

function findContainers(spec: PodSpec, specPath: string): readonly ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const kind of CONTAINER_KINDS) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, index) => {
      if (isMap(c)) out.push({ container: c as Container, kind, index, path: join(specPath, kind, index) });
    });
  }
  return Object.freeze(out);
}

/** Whether the pod is declared as a Windows pod (spec.os.name). */
export function isWindowsPod(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}
