/**
 * `kubeguard install`: the selected components' objects, plus what they share, laid out as one Kustomize base:
 * - `namespace.yaml`: the main namespace under Pod Security "restricted" (enforce, audit, warn) and, when a host
 *   part is selected, `<namespace>-node` enforcing "privileged" while auditing and warning at "restricted";
 *   each with a default-deny NetworkPolicy, so a pod talks only as its component's own policies allow;
 * - `<component>.yaml` per component; host parts' workloads carry their declared exceptions as
 *   `kubeguard.io/ignore` annotations (rules and reasons), so our own scan reports nothing undeclared;
 * - `kustomization.yaml` listing them (`kubectl apply -k DIR`, or a base for overlays).
 * Pure apart from what components do (certificate generation).
 */
import yaml from 'js-yaml';
import type { KubeObject } from '../core/model.js';
import { isPodBearing } from '../core/podspec.js';
import { IGNORE_ANNOTATION } from '../engine/exceptions.js';
import { TOOL } from '../engine/report.js';
import { renderManifests } from '../admission/install/manifests.js';
import type { HostException, InstallComponent, InstallSettings } from './component.js';

export interface BundleFile {
  name: string;
  objects: KubeObject[];
}

export interface Bundle {
  /** In apply order: namespaces first. */
  files: BundleFile[];
}

export type BundleSettings = Omit<InstallSettings, 'namespace' | 'mainNamespace'> & { namespace: string };

export const PART_OF = { 'app.kubernetes.io/part-of': 'kubeguard', 'app.kubernetes.io/managed-by': 'kubeguard-install' };

export function hostNamespace(namespace: string): string {
  return `${namespace}-node`;
}

function namespaceObjects(name: string, enforce: 'restricted' | 'privileged'): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          ...PART_OF,
          'kubernetes.io/metadata.name': name,
          'pod-security.kubernetes.io/enforce': enforce,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: name, labels: PART_OF },
      // Selects every pod of the namespace and allows nothing: each component's own policies are the only ways in or out.
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

/** The ignore annotation for a host part's exceptions: every rule id, then each reason with its rules. */
export function hostExceptionAnnotation(component: string, exceptions: readonly HostException[]): string {
  const rules = [...new Set(exceptions.flatMap((e) => e.rules))];
  const reasons = exceptions.map((e) => `${e.rules.join(', ')}: ${e.reason}`).join('; ');
  return `${rules.join(',')}: the ${component} needs the host (${reasons})`;
}

function withHostExceptions(o: KubeObject, annotation: string): KubeObject {
  if (!isPodBearing(o)) return o;
  const metadata = o.metadata ?? {};
  return { ...o, metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [IGNORE_ANNOTATION]: annotation } } };
}

function labelled(o: KubeObject, component: string): KubeObject {
  const metadata = o.metadata ?? {};
  return { ...o, metadata: { ...metadata, labels: { ...(metadata.labels ?? {}), ...PART_OF, 'app.kubernetes.io/component': component, 'app.kubernetes.io/version': TOOL.version } } };
}

export async function buildBundle(components: readonly InstallComponent[], s: BundleSettings): Promise<Bundle> {
  const needsHost = components.some((c) => c.placement === 'host');
  const namespaces = [...namespaceObjects(s.namespace, 'restricted'), ...(needsHost ? namespaceObjects(hostNamespace(s.namespace), 'privileged') : [])];
  const files: BundleFile[] = [{ name: 'namespace.yaml', objects: namespaces }];
  for (const c of components) {
    const host = c.placement === 'host';
    if (host && !c.hostExceptions?.length) throw new Error(`component ${c.name} needs the host but declares no exceptions`);
    const namespace = host ? hostNamespace(s.namespace) : s.namespace;
    let objects = (await c.manifests({ ...s, namespace, mainNamespace: s.namespace })).map((o) => labelled(o, c.name));
    if (host) {
      const annotation = hostExceptionAnnotation(c.name, c.hostExceptions!);
      objects = objects.map((o) => withHostExceptions(o, annotation));
    }
    files.push({ name: `${c.name}.yaml`, objects });
  }
  return { files };
}

/** One YAML stream, files in order (`kubectl apply -f -`). */
export function renderStream(bundle: Bundle): string {
  return renderManifests(bundle.files.flatMap((f) => f.objects));
}

/** The files of a Kustomize base: kustomization.yaml plus one file per part. */
export function renderKustomizeBase(bundle: Bundle): Map<string, string> {
  const out = new Map<string, string>();
  const header = `# Generated by \`kubeguard install\` ${TOOL.version}; regenerate rather than edit (docs/install.md).\n`;
  for (const f of bundle.files) out.set(f.name, header + renderManifests(f.objects));
  const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: bundle.files.map((f) => f.name) };
  out.set('kustomization.yaml', header + yaml.dump(kustomization, { lineWidth: -1 }));
  return out;
}
