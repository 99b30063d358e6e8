/**
 * Parses an image's layers in parallel on worker threads (decompression, digest, untar, capture and Go
 * probing are per-layer work) and applies them to the index strictly in layer order on this thread.
 * At most `concurrency` layers are in flight; each worker receives its blob in bounded chunks.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ImageFormatError, ImageLimitError, ImageSecurityError } from '../../analysis/images/errors.js';
import { applyLayer, applyParsedLayer } from './layer-stream.js';
import type { BuildState, LayerBlob, ParsedLayer } from './layer-stream.js';
import type { ToWorker, WorkerError } from './layer-worker.js';

const MAX_IN_FLIGHT_CHUNKS = 8;
const CHUNK = 1024 * 1024;

function reviveError(e: WorkerError): Error {
  if (e.name === 'ImageLimitError') return new ImageLimitError(e.message, e.limit ?? 'unknown');
  if (e.name === 'ImageSecurityError') return new ImageSecurityError(e.message, e.entry);
  if (e.name === 'ImageFormatError') return new ImageFormatError(e.message);
  return new Error(e.message);
}

function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./layer-worker.js', import.meta.url));
  // Running from sources under tsx (tests, bench): the worker registers tsx before loading the .ts module.
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./layer-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, { eval: true });
}

async function parseOnWorker(worker: Worker, index: number, blob: LayerBlob, state: BuildState): Promise<ParsedLayer> {
  const raw = await blob.open();
  return new Promise<ParsedLayer>((resolve, reject) => {
    let credit = MAX_IN_FLIGHT_CHUNKS;
    let wake: (() => void) | undefined;
    let settled = false;
    const post = (m: ToWorker, transfer?: ArrayBuffer[]): void => worker.postMessage(m, transfer);
    const onMessage = (m: { type: string; parsed?: ParsedLayer; error?: WorkerError }): void => {
      if (m.type === 'credit') {
        credit++;
        wake?.();
      } else if (m.type === 'done' || m.type === 'error') {
        settled = true;
        worker.off('message', onMessage);
        worker.off('error', onError);
        wake?.();
        if (m.type === 'done') {
          const p = m.parsed!;
          // Structured clone turns Buffers into Uint8Arrays.
          for (const e of p.entries) {
            if (e.content) e.content = Buffer.from(e.content.buffer, e.content.byteOffset, e.content.byteLength);
            if (e.goBuildInfo) e.goBuildInfo = Buffer.from(e.goBuildInfo.buffer, e.goBuildInfo.byteOffset, e.goBuildInfo.byteLength);
          }
          for (const f of p.layerFiles) f.content = Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength);
          resolve(p);
        } else reject(reviveError(m.error!));
      }
    };
    const onError = (e: Error): void => {
      settled = true;
      reject(e);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    post({ type: 'start', index, digest: blob.digest, size: blob.size, diffId: blob.diffId, limits: state.limits });
    (async () => {
      for await (const c of raw) {
        if (settled) break;
        for (let off = 0; off < c.length; off += CHUNK) {
          while (credit <= 0 && !settled) await new Promise<void>((r) => (wake = r));
          if (settled) break;
          const piece = c.subarray(off, off + CHUNK);
          const copy = new Uint8Array(piece.length);
          copy.set(piece);
          credit--;
          post({ type: 'chunk', chunk: copy.buffer }, [copy.buffer]);
        }
      }
      if (!settled) post({ type: 'end' });
    })().catch((e: unknown) => {
      if (!settled) {
        settled = true;
        post({ type: 'abort' });
        reject(e);
      }
    });
  });
}

export interface PoolOptions {
  /** Worker threads (at most one per layer, and 4); default 0: parse on this thread. See effectiveWorkers. */
  workers?: number;
}

/**
 * The worker threads worth starting for a request. Parallel parsing pays off on idle multi-core machines with
 * several large layers. One core always stays with the calling thread (applying entries, gunzip callbacks,
 * the hash helper), and a single worker only takes turns with it: on 2 cores, 2 workers measured about 2x
 * slower than parsing on the calling thread (bench/image image, from sources), so fewer than two usable
 * workers means none.
 */
export function effectiveWorkers(requested: number, cores = availableParallelism()): number {
  const n = Math.min(requested, cores - 1, 4);
  return n >= 2 ? n : 0;
}

export async function applyLayersParallel(state: BuildState, layers: readonly LayerBlob[], opts: PoolOptions = {}): Promise<void> {
  const n = Math.min(opts.workers ?? 0, layers.length, 4);
  if (n <= 1) {
    for (let i = 0; i < layers.length; i++) await applyLayer(state, i, layers[i]);
    return;
  }
  const workers = Array.from({ length: n }, () => startWorker());
  try {
    const results: Promise<ParsedLayer>[] = [];
    const free = [...workers];
    const waiters: ((w: Worker) => void)[] = [];
    const acquire = (): Promise<Worker> => (free.length ? Promise.resolve(free.pop()!) : new Promise((r) => waiters.push(r)));
    const release = (w: Worker): void => {
      const next = waiters.shift();
      if (next) next(w);
      else free.push(w);
    };
    let next = 0;
    const schedule = (): void => {
      const i = next++;
      if (i >= layers.length) return;
      results[i] = acquire().then(async (w) => {
        try {
          return await parseOnWorker(w, i, layers[i], state);
        } finally {
          release(w);
        }
      });
    };
    // Schedule every layer; acquire() bounds how many run at once. Parsed layers wait (headers and the few
    // captured files only) until their turn to be applied.
    for (let i = 0; i < layers.length; i++) schedule();
    for (const r of results) r.catch(() => undefined);
    for (let i = 0; i < layers.length; i++) applyParsedLayer(state, i, await results[i]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
