/**
 * Control-plane configuration as the scanner can see it: the static pods of kube-apiserver, etcd,
 * kube-controller-manager and kube-scheduler (mirror pods in kube-system, or the manifests under
 * /etc/kubernetes/manifests), or kubeadm's ClusterConfiguration (ConfigMap kube-system/kubeadm-config).
 * Flags are read the way kube-bench reads a process's command line (`--flag=value` or `--flag value`;
 * etcd also takes ETCD_* environment variables). A managed control plane (EKS, GKE, AKS…) shows none of
 * this: rules then say "not visible" (could not evaluate), never pass or fail.
 */
import yaml from 'js-yaml';
import type { KubeObject, Resource } from '../../core/model.js';
import type { RuleScope } from '../../core/rule.js';
import { podTemplateOf } from '../../core/podspec.js';
import type { Container } from '../../core/podspec.js';

export type Component = 'kube-apiserver' | 'etcd' | 'kube-controller-manager' | 'kube-scheduler';
const COMPONENTS: readonly Component[] = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'];

/** One flag: its value ("true" for a bare flag) and the pointer of the argument that set it. */
export interface FlagValue {
  value: string;
  path: string;
}

/** A component's effective flags and where to point a finding about a missing one. */
export interface ComponentConfig {
  component: Component;
  flags: Map<string, FlagValue>;
  /** Where flags are set (the command, or the kubeadm ClusterConfiguration); see flagPath(). */
  anchor: string;
  /** Where the configuration was read: "static pod" or "kubeadm ClusterConfiguration". */
  origin: string;
}

function basename(s: string): string {
  return s.split('/').pop() ?? s;
}

function isComponent(s: string): s is Component {
  return (COMPONENTS as readonly string[]).includes(s);
}

/** The control-plane container of a pod: by its command, else by the pod's `component` label (kubeadm). */
function controlPlaneContainer(obj: KubeObject): { component: Component; container: Container; path: string } | undefined {
  if (obj.kind !== 'Pod') return undefined;
  const pod = podTemplateOf(obj);
  if (!pod) return undefined;
  const containers = pod.spec.containers ?? [];
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i];
    const first = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])][0];
    const bin = typeof first === 'string' ? basename(first) : '';
    if (isComponent(bin)) return { component: bin, container: c, path: `${pod.specPath}/containers/${i}` };
  }
  const label = obj.metadata?.labels?.component;
  if (label && isComponent(label) && containers.length > 0) return { component: label, container: containers[0], path: `${pod.specPath}/containers/0` };
  return undefined;
}

/** Flags of a container as kube-bench sees them in `ps -ef`: command then args. */
export function containerFlags(container: Container, containerPath: string, envPrefix?: string): Map<string, FlagValue> {
  const flags = new Map<string, FlagValue>();
  // environment first: a command-line flag overrides it (etcd: flags win over ETCD_* variables)
  if (envPrefix && Array.isArray(container.env)) {
    container.env.forEach((e, i) => {
      const name = typeof e.name === 'string' ? e.name : '';
      if (name.startsWith(envPrefix) && typeof e.value === 'string') {
        flags.set(name.slice(envPrefix.length).toLowerCase().replace(/_/g, '-'), { value: e.value, path: `${containerPath}/env/${i}/value` });
      }
    });
  }
  for (const field of ['command', 'args'] as const) {
    const list = Array.isArray(container[field]) ? (container[field] as unknown[]) : [];
    for (let i = 0; i < list.length; i++) {
      const arg = list[i];
      if (typeof arg !== 'string' || !arg.startsWith('--')) continue;
      const eq = arg.indexOf('=');
      const path = `${containerPath}/${field}/${i}`;
      if (eq > 0) flags.set(arg.slice(2, eq), { value: arg.slice(eq + 1), path });
      else {
        const next = list[i + 1];
        if (typeof next === 'string' && !next.startsWith('-')) {
          flags.set(arg.slice(2), { value: next, path });
          i++;
        } else flags.set(arg.slice(2), { value: 'true', path });
      }
    }
  }
  return flags;
}

export function componentOfPod(obj: KubeObject): ComponentConfig | undefined {
  const found = controlPlaneContainer(obj);
  if (!found) return undefined;
  const ns = obj.metadata?.namespace;
  if (ns !== undefined && ns !== 'kube-system') return undefined;
  const anchor = Array.isArray(found.container.command) ? `${found.path}/command` : Array.isArray(found.container.args) ? `${found.path}/args` : found.path;
  return { component: found.component, flags: containerFlags(found.container, found.path, found.component === 'etcd' ? 'ETCD_' : undefined), anchor, origin: 'static pod' };
}

/**
 * Flags kubeadm puts in the static pod manifests whatever the ClusterConfiguration says (kubeadm
 * cmd/kubeadm/app/phases/controlplane/manifests.go getAPIServerCommand, and phases/etcd/local.go getEtcdCommand),
 * limited to the ones these rules read; extraArgs override them.
 */
const KUBEADM_DEFAULTS: Readonly<Record<'kube-apiserver' | 'etcd', Readonly<Record<string, string>>>> = {
  'kube-apiserver': {
    'authorization-mode': 'Node,RBAC',
    'enable-admission-plugins': 'NodeRestriction',
    'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    'etcd-servers': 'https://127.0.0.1:2379',
    'etcd-certfile': '/etc/kubernetes/pki/apiserver-etcd-client.crt',
    'etcd-keyfile': '/etc/kubernetes/pki/apiserver-etcd-client.key',
    'etcd-cafile': '/etc/kubernetes/pki/etcd/ca.crt',
    'tls-cert-file': '/etc/kubernetes/pki/apiserver.crt',
    'tls-private-key-file': '/etc/kubernetes/pki/apiserver.key',
    'secure-port': '6443',
    'allow-privileged': 'true',
  },
  etcd: {
    'cert-file': '/etc/kubernetes/pki/etcd/server.crt',
    'key-file': '/etc/kubernetes/pki/etcd/server.key',
    'trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'client-cert-auth': 'true',
    'peer-cert-file': '/etc/kubernetes/pki/etcd/peer.crt',
    'peer-key-file': '/etc/kubernetes/pki/etcd/peer.key',
    'peer-trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'peer-client-cert-auth': 'true',
    'listen-client-urls': 'https://127.0.0.1:2379',
  },
};

interface ClusterConfiguration {
  apiServer?: { extraArgs?: unknown };
  etcd?: { local?: { extraArgs?: unknown }; external?: unknown };
}

export function isKubeadmConfig(obj: KubeObject): boolean {
  return obj.kind === 'ConfigMap' && obj.metadata?.name === 'kubeadm-config' && (obj.metadata?.namespace ?? 'kube-system') === 'kube-system';
}

function clusterConfiguration(obj: KubeObject): ClusterConfiguration | undefined {
  const text = (obj.data as Record<string, unknown> | undefined)?.ClusterConfiguration;
  if (typeof text !== 'string') return undefined;
  try {
    const v = yaml.load(text);
    return v && typeof v === 'object' ? (v as ClusterConfiguration) : undefined;
  } catch {
    return undefined;
  }
}

/** extraArgs: a map in kubeadm v1beta3, a list of {name, value} in v1beta4. */
function extraArgs(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(raw)) {
    for (const a of raw) if (a && typeof a === 'object' && typeof a.name === 'string') out.set(a.name, String(a.value ?? ''));
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) out.set(k, String(v));
  }
  return out;
}

/** The component as the kubeadm ClusterConfiguration describes it (undefined for external etcd). */
export function componentOfKubeadm(obj: KubeObject, component: 'kube-apiserver' | 'etcd'): ComponentConfig | undefined {
  const config = clusterConfiguration(obj);
  if (!config) return undefined;
  if (component === 'etcd' && config.etcd?.external) return undefined;
  const args = extraArgs(component === 'etcd' ? config.etcd?.local?.extraArgs : config.apiServer?.extraArgs);
  const anchor = `/data/ClusterConfiguration/${component === 'etcd' ? 'etcd/local' : 'apiServer'}/extraArgs`;
  const flags = new Map<string, FlagValue>();
  // a pointer into the YAML text of the ConfigMap value: it names the flag; its line is the value's
  for (const [k, v] of Object.entries(KUBEADM_DEFAULTS[component])) flags.set(k, { value: v, path: `${anchor}/${k}` });
  for (const [k, v] of args) flags.set(k, { value: v, path: `${anchor}/${k}` });
  return { component, flags, anchor, origin: 'kubeadm ClusterConfiguration' };
}

/**
 * The pointer naming a flag: the argument that sets it, else — for a flag that is not set — a member named after
 * the flag under the command (or kubeadm extraArgs), so that findings about different missing flags name different
 * fields (and are never taken for one problem); its line is the command's.
 */
export function flagPath(c: ComponentConfig, flag: string): string {
  return c.flags.get(flag)?.path ?? (c.anchor.endsWith('/extraArgs') ? `${c.anchor}/${flag}` : `${c.anchor}/--${flag}`);
}

/** Comma-separated flag values (authorization modes, admission plugins). */
export function listValue(flag: FlagValue | undefined): string[] {
  return flag ? flag.value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function visiblePods(ctx: RuleScope, component: Component): boolean {
  return ctx.resources.ofKind('Pod').some((r) => componentOfPod(r.object)?.component === component);
}

const MANAGED_NODE_LABELS: readonly [string, string][] = [
  ['eks.amazonaws.com/nodegroup', 'EKS'],
  ['alpha.eksctl.io/cluster-name', 'EKS'],
  ['cloud.google.com/gke-nodepool', 'GKE'],
  ['kubernetes.azure.com/cluster', 'AKS'],
];

function managedHint(ctx: RuleScope): string {
  for (const n of ctx.resources.ofKind('Node')) {
    for (const [label, name] of MANAGED_NODE_LABELS) if (name && n.object.metadata?.labels?.[label] !== undefined) return ` (nodes say ${name}: a managed control plane)`;
  }
  return '';
}

/**
 * The shared check of a control-plane rule: on a static pod of the component, judge its flags; on the kubeadm
 * ConfigMap, judge it when no static pod of the component is visible; on Namespace kube-system, when neither is
 * visible, say the control plane is not visible.
 */
export function checkComponent(ctx: RuleScope, resource: Resource, component: Component, judge: (c: ComponentConfig) => void): void {
  const obj = resource.object;
  if (obj.kind === 'Pod') {
    const c = componentOfPod(obj);
    if (c?.component === component) judge(c);
    return;
  }
  if (obj.kind === 'ConfigMap') {
    if (!isKubeadmConfig(obj) || (component !== 'kube-apiserver' && component !== 'etcd') || visiblePods(ctx, component)) return;
    const c = componentOfKubeadm(obj, component);
    if (c) judge(c);
    return;
  }
  if (obj.kind === 'Namespace' && obj.metadata?.name === 'kube-system') {
    if (visiblePods(ctx, component)) return;
    const kubeadm = ctx.resources.ofKind('ConfigMap').find((r) => isKubeadmConfig(r.object));
    if (kubeadm && (component === 'kube-apiserver' || component === 'etcd') && componentOfKubeadm(kubeadm.object, component)) return;
    ctx.notVisible(`not visible: no ${component} static pod or kubeadm ClusterConfiguration in kube-system${managedHint(ctx)}`);
  }
}

export const CONTROL_PLANE_KINDS = ['Pod', 'ConfigMap', 'Namespace'];
