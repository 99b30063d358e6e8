/**
 * Helper-thread side of json-index-offload.ts: indexes each posted text and answers on the port it was given,
 * then bumps the shared counter so the waiting thread wakes (the answer is queued before the wake-up).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { indexJsonText } from './json-index.js';
import type { IndexJob, IndexAnswer, HelperData } from './json-index-offload.js';
import { ANSWERS, READY } from './json-index-offload.js';

const { port, signal } = workerData as HelperData;

function answer(m: IndexAnswer, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
  Atomics.add(signal, ANSWERS, 1);
  Atomics.notify(signal, ANSWERS);
}

parentPort!.on('message', (job: IndexJob) => {
  try {
    const arrays = indexJsonText(job.text).arrays();
    const buffers = [arrays.line, arrays.end, arrays.kind, arrays.keyStart!, arrays.keyEnd!].map((a) => a.buffer as ArrayBuffer);
    answer({ id: job.id, arrays }, buffers);
  } catch (e) {
    answer({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
Atomics.store(signal, READY, 1);
