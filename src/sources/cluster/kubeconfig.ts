/**
 * Which cluster to talk to: an explicit kubeconfig file, else $KUBECONFIG / ~/.kube/config, else the in-cluster
 * service-account config (KUBERNETES_SERVICE_HOST + /var/run/secrets/kubernetes.io/serviceaccount), as kubectl does.
 */
import { existsSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../../core/errors.js';

export interface KubeConfigChoice {
  /** A kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster config). */
  kubeconfig?: string;
  /** Context name (default: the kubeconfig's current-context). */
  context?: string;
  /**
   * Use the in-cluster service-account config with files under this root (tests; in a pod the root is "" and
   * loadFromDefault finds it by itself).
   */
  inClusterRoot?: string;
}

export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** Context in use ("in-cluster" for the service-account config). */
  context: string;
  server: string;
}

/**
 * client-node is imported here, on first use, not at start-up: it adds about 80 MiB to every process that loads
 * it, and most commands (and the admission webhook) never talk to a cluster.
 */
export async function loadKubeConfig(choice: KubeConfigChoice = {}): Promise<LoadedKubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (choice.inClusterRoot !== undefined) {
    kc.loadFromCluster(choice.inClusterRoot);
  } else if (choice.kubeconfig) {
    if (!existsSync(choice.kubeconfig)) throw new UsageError(`kubeconfig not found: ${choice.kubeconfig}`);
    kc.loadFromFile(choice.kubeconfig);
  } else {
    // loadFromDefault: $KUBECONFIG (merged), ~/.kube/config, then in-cluster when running in a pod
    kc.loadFromDefault();
    // client-node falls back to an unauthenticated http://localhost:8080 when it finds nothing: refuse instead
    if (kc.getCurrentContext() === 'loaded-context' && kc.getCurrentCluster()?.server === 'http://localhost:8080') {
      throw new UsageError('no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a cluster: use --kubeconfig');
    }
  }
  if (choice.context) {
    if (!kc.getContextObject(choice.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new UsageError(`context "${choice.context}" is not in the kubeconfig (contexts: ${known})`);
    }
    kc.setCurrentContext(choice.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UsageError('no cluster: the kubeconfig has no current context (use --context or --kubeconfig)');
  return { kc, context: kc.getCurrentContext() || 'in-cluster', server: cluster.server };
}
