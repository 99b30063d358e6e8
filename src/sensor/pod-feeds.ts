/** The pods of this node for attribution: from a snapshot file (read once). The live feed (list + watch) is pod-watch.ts. */
import { readSnapshot } from '../sources/cluster/index.js';
import { UsageError } from '../core/errors.js';
import type { PodFeed } from './run.js';

export function snapshotPods(file: string): PodFeed {
  return {
    async start(index) {
      const snap = await readSnapshot(file);
      if (snap.errors.length && snap.resources.length === 0) throw new UsageError(`cannot read snapshot ${file}: ${snap.errors[0].message}`);
      index.addAll(snap.resources.map((r) => r.object));
    },
    stop() {},
  };
}
