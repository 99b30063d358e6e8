/**
 * A large JSON text's line index built on a helper thread while this thread runs JSON.parse over the same text.
 * The two passes cost about the same (bench/scan: some 30 ms each for 14 MB), so a large JSON manifest pays for
 * one of them. Parsing stays synchronous: the caller blocks (Atomics.wait) only for what is left of the index
 * once its own parse is done, and takes the answer off the port with receiveMessageOnPort.
 *
 * One helper serves the process. It starts on the first large text (which is still indexed on this thread) and
 * is used once it says it is ready; it is unref'd, so it never keeps the process alive. On a one-core machine,
 * on any failure or a late answer, texts are indexed on this thread: the index is the same either way.
 */
import { createRequire } from 'node:module';
import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { NodeTree } from './node-tree.js';
import type { NodeArrays } from './node-tree.js';
import { indexJsonText } from './json-index.js';

// worker_threads and os load only with the first large JSON text: start-up of a file scan (#25)
const threads = () => createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
const cores = () => (createRequire(import.meta.url)('node:os') as typeof Os).availableParallelism();

/** Below this many characters, posting the text costs more than indexing it here. */
const MIN_OFFLOAD_CHARS = 1 << 20;

/** Slots of the shared counters: answers posted so far, and whether the helper has loaded. */
export const ANSWERS = 0;
export const READY = 1;

export interface HelperData {
  port: MessagePort;
  signal: Int32Array;
}
export interface IndexJob {
  id: number;
  text: string;
}
export type IndexAnswer = { id: number; arrays: NodeArrays; error?: undefined } | { id: number; error: string; arrays?: undefined };

interface Helper {
  worker: Worker;
  /** Where answers arrive (read synchronously, never through the event loop). */
  answers: MessagePort;
  signal: Int32Array;
}

let helper: Helper | undefined;
let disabled = false;
let nextId = 1;

function startHelper(): void {
  const { MessageChannel, Worker } = threads();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const workerData: HelperData = { port: port2, signal };
  const options = { workerData, transferList: [port2] };
  let worker: Worker;
  if (!import.meta.url.endsWith('.ts')) worker = new Worker(new URL('./json-index-worker.js', import.meta.url), options);
  else {
    // Running from sources under tsx (tests, bench): the helper registers tsx before loading the .ts module.
    const api = import.meta.resolve('tsx/esm/api');
    const target = new URL('./json-index-worker.ts', import.meta.url).href;
    worker = new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, { ...options, eval: true });
  }
  worker.on('error', stopHelper);
  worker.on('exit', stopHelper);
  worker.unref();
  helper = { worker, answers: port1, signal };
}

function stopHelper(): void {
  if (!helper) return;
  disabled = true;
  const { worker, answers } = helper;
  helper = undefined;
  answers.close();
  void worker.terminate();
}

/** Whether texts are being indexed on the helper, and how many it has answered (for tests and diagnostics). */
export function offloadState(): { state: 'off' | 'starting' | 'ready'; answered: number } {
  if (!helper) return { state: 'off', answered: 0 };
  return { state: Atomics.load(helper.signal, READY) === 1 ? 'ready' : 'starting', answered: Atomics.load(helper.signal, ANSWERS) };
}

/**
 * Starts indexing `text`; the returned function gives its index (call it once the text has been parsed). For a
 * text that turned out not to be JSON, call it all the same (or drop it: a stale answer is skipped by its id).
 */
export function indexJsonConcurrently(text: string): () => NodeTree {
  if (text.length < MIN_OFFLOAD_CHARS || disabled) return () => indexJsonText(text);
  if (!helper) {
    disabled = cores() < 2;
    if (disabled) return () => indexJsonText(text);
    startHelper();
  }
  const h = helper!;
  if (Atomics.load(h.signal, READY) !== 1) return () => indexJsonText(text);
  const id = nextId++;
  h.worker.postMessage({ id, text } satisfies IndexJob);
  return () => awaitAnswer(h, id, text) ?? indexJsonText(text);
}

/** The helper's index for job `id`, or undefined (helper gone or too slow: the caller indexes itself). */
function awaitAnswer(h: Helper, id: number, text: string): NodeTree | undefined {
  // Generous: the helper indexes some 400 characters a microsecond; only a stuck or starved helper takes this long.
  const deadline = performance.now() + 1000 + text.length / 50_000;
  const { receiveMessageOnPort } = threads();
  for (;;) {
    const seen = Atomics.load(h.signal, ANSWERS);
    for (let m = receiveMessageOnPort(h.answers); m; m = receiveMessageOnPort(h.answers)) {
      const a = m.message as IndexAnswer;
      if (a.id !== id) continue; // an answer to a text that was not JSON after all
      return a.arrays ? new NodeTree(a.arrays, { text }) : undefined;
    }
    const left = deadline - performance.now();
    if (left <= 0 || helper !== h) {
      stopHelper();
      return undefined;
    }
    Atomics.wait(h.signal, ANSWERS, seen, left);
  }
}
