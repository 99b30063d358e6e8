/**
 * A worker thread running one of our modules, given by its URL as built (`./x.js` beside the caller's
 * import.meta.url). Built code (dist/, and the CLI bundle, which keeps each module's own URL) runs the .js file;
 * from sources under tsx (tests, bench) the worker registers tsx first and loads the .ts file.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startModuleWorker(built: URL, options: WorkerOptions = {}): Worker {
  const source = new URL(built.href.replace(/\.js$/, '.ts'));
  if (!import.meta.url.endsWith('.ts')) return new Worker(built, options);
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`, { ...options, eval: true });
}
