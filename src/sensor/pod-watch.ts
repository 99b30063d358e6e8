/** `--cluster`: the pods of this node, listed and watched from the API server (src/sources/node/pod-watch.ts). */
import { PodWatch, inClusterConnection, kubeconfigConnection } from '../sources/node/pod-watch.js';
import type { PodFeed } from './run.js';

export function watchedPods(o: { node: string; kubeconfig?: string; context?: string }): PodFeed {
  let watch: PodWatch | undefined;
  return {
    async start(index) {
      const conn = o.kubeconfig || o.context || !process.env.KUBERNETES_SERVICE_HOST ? await kubeconfigConnection(o.kubeconfig, o.context) : inClusterConnection();
      watch = new PodWatch(conn, o.node, index);
      await watch.start();
    },
    stop() {
      void watch?.stop();
    },
  };
}
