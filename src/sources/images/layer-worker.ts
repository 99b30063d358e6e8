/**
 * Worker side of the layer pool: receives a layer's raw bytes as transferred chunks (with credit-based flow
 * control, so a blob is never buffered whole), parses it with parseLayer and posts the entry list back.
 */
import { parentPort } from 'node:worker_threads';
import { parseLayer } from './layer-stream.js';
import type { ImageLimits } from './limits.js';

export type ToWorker =
  | { type: 'start'; index: number; digest?: string; size?: number; diffId?: string; limits: ImageLimits }
  | { type: 'chunk'; chunk: ArrayBuffer }
  | { type: 'end' }
  | { type: 'abort' };

export interface WorkerError {
  name: string;
  message: string;
  limit?: string;
  entry?: string;
}

const port = parentPort!;
let queue: Buffer[] = [];
let ended = false;
let wake: (() => void) | undefined;

async function* chunks(): AsyncGenerator<Buffer> {
  for (;;) {
    if (queue.length) {
      const c = queue.shift()!;
      port.postMessage({ type: 'credit' });
      yield c;
      continue;
    }
    if (ended) return;
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    queue = [];
    ended = false;
    parseLayer(chunks(), m.index, { digest: m.digest, size: m.size, diffId: m.diffId }, m.limits).then(
      (parsed) => port.postMessage({ type: 'done', parsed }),
      (e: unknown) => {
        const err = e as Error & { limit?: string; entry?: string };
        const out: WorkerError = { name: err?.name ?? 'Error', message: err?.message ?? String(e), limit: err?.limit, entry: err?.entry };
        port.postMessage({ type: 'error', error: out });
      },
    );
  } else if (m.type === 'chunk') {
    queue.push(Buffer.from(m.chunk));
    wake?.();
  } else if (m.type === 'end' || m.type === 'abort') {
    ended = true;
    if (m.type === 'abort') queue = [];
    wake?.();
  }
});
