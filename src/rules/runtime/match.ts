/** Small predicates the runtime detectors share. */
import type { ApiRequestInfo, NetworkEvent, ProcessInfo, RuntimeEvent, WorkloadIdentity } from '../../core/events/model.js';
import { isNetworkEvent } from '../../core/events/model.js';

/** The event happened inside a container (not on the node, and the producer attributed it to a pod or container). */
export function inContainer(w: WorkloadIdentity): boolean {
  return !w.host && Boolean(w.containerId || w.pod || w.container);
}

/** The process of an event, when it has one. */
export function processOf(e: RuntimeEvent): ProcessInfo | undefined {
  return 'process' in e ? e.process : undefined;
}

/** A process's command line as one string (for patterns that span arguments). */
export function commandLine(p: ProcessInfo): string {
  return p.args.length ? `${p.name} ${p.args.join(' ')}` : p.name;
}

/**
 * A network event that the workload initiated and that carried traffic: a connect, or a flow seen leaving the
 * workload that is not a reply. Dropped flows are included (an attempt is what scans and sweeps are made of).
 */
export function outgoing(e: RuntimeEvent): e is NetworkEvent {
  if (!isNetworkEvent(e)) return false;
  if (e.kind === 'network.connect') return true;
  if (e.kind === 'network.accept') return false;
  return e.network.direction !== 'ingress' && e.network.reply !== true;
}

/** Shortens a value for a message (commands, URLs), so a long argument list never floods a notification. */
export function clip(s: string, max = 160): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * The command of an exec request: the `command` parameters of its URI, in order (`?command=sh&command=-c&command=id`,
 * as the API server audits it), else the PodExecOptions body's `command` when a log carries the request object.
 */
export function execCommand(api: ApiRequestInfo): string[] {
  const out: string[] = [];
  const uri = api.requestURI;
  const q = uri ? uri.indexOf('?') : -1;
  if (uri && q >= 0) for (const [k, v] of new URLSearchParams(uri.slice(q + 1))) if (k === 'command') out.push(v);
  if (out.length) return out;
  const body = api.requestObject?.command;
  return Array.isArray(body) ? body.filter((c): c is string => typeof c === 'string') : [];
}

/** Namespaces of the control plane: system principals working there are routine. */
export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** A request by a control-plane identity (system:…) inside a system namespace: routine. */
export function systemRoutine(api: ApiRequestInfo): boolean {
  return api.user.username.startsWith('system:') && SYSTEM_NAMESPACES.has(api.resource?.namespace ?? '');
}
