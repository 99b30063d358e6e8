/**
 * Node facts from the API server alone (no host access): the Node object (kubelet version, provider id) and the
 * kubelet's effective configuration from /configz through the node proxy (`GET /api/v1/nodes/NAME/proxy/configz`,
 * RBAC `get nodes/proxy`). Command lines, file modes and owners cannot be seen this way: checks that need them could
 * not be evaluated (with that reason), never pass.
 */
import type { KubeObject } from '../../core/model.js';
import { FactError, KUBELET_CONFIGZ, type NodeFacts } from '../../analysis/compliance/kube-bench/facts.js';
import type { ObjectClient } from '../cluster/object-client.js';

export interface ApiNode {
  facts: NodeFacts;
  version?: string;
  providerId?: string;
  labels: Record<string, string>;
}

export async function nodeFromApi(client: ObjectClient, name: string): Promise<ApiNode> {
  const node = await client.getJson<KubeObject & { spec?: { providerID?: string }; status?: { nodeInfo?: { kubeletVersion?: string } } }>(`/api/v1/nodes/${encodeURIComponent(name)}`);
  let configz: Record<string, unknown> | undefined;
  let why = '';
  try {
    const answer = await client.getJson<{ kubeletconfig?: Record<string, unknown> }>(`/api/v1/nodes/${encodeURIComponent(name)}/proxy/configz`);
    configz = answer.kubeletconfig;
    if (!configz) why = 'the kubelet answered /configz without a kubeletconfig';
  } catch (e) {
    why = `the kubelet's /configz could not be read through the API server (${e instanceof Error ? e.message : 'error'})`;
  }
  const unseen = "the node's processes are not visible through the API server (run `kubeguard node check` on the node: `kubeguard node install`)";
  const facts: NodeFacts = {
    // the kubelet runs (the node is registered); its command line is unknown
    processes: [{ pid: 0, ppid: 0, user: '?', comm: 'kubelet', argv: ['kubelet'] }],
    description: `node ${name} through the API server`,
    commandLinesUnknown: unseen,
    ...(configz && { kubeletConfigz: configz }),
    stat: () => {
      throw new FactError('file modes and owners are not visible through the API server');
    },
    exists: (p) => {
      if (p === KUBELET_CONFIGZ) return configz !== undefined;
      throw new FactError('files are not visible through the API server');
    },
    isDir: () => {
      throw new FactError('files are not visible through the API server');
    },
    read: (p) => {
      if (p === KUBELET_CONFIGZ && configz) return JSON.stringify(configz);
      throw new FactError(why || `${p} cannot be read through the API server`);
    },
    find: () => {
      throw new FactError('files are not visible through the API server');
    },
    environ: () => undefined,
  };
  return { facts, version: node.status?.nodeInfo?.kubeletVersion, providerId: node.spec?.providerID, labels: (node.metadata?.labels as Record<string, string>) ?? {} };
}
