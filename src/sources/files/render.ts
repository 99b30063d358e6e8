/** Kustomize and Helm rendering through the real tools users run. */
import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { SourceError } from '../../core/errors.js';

// child_process loads only when a directory is rendered: start-up of a file scan (#25)
const childProcess = () => createRequire(import.meta.url)('node:child_process') as typeof ChildProcess;

const MAX_RENDER_BYTES = 256 * 1024 * 1024;

function run(cmd: string, args: string[], what: string, dir: string): string {
  const r = childProcess().spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: MAX_RENDER_BYTES, timeout: 120_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SourceError(`${what} needs \`${cmd}\` on PATH, and it was not found; install it, or pipe rendered output on stdin: \`${cmd} ... | kubeguard scan -\``, dir);
    throw new SourceError(`${what} failed: ${r.error.message}`, dir, { cause: r.error });
  }
  if (r.status !== 0) {
    const kind = failureKind(r.stderr || '');
    throw new SourceError(`${what} failed (exit ${r.status})${kind ? `: ${cmd} says "${kind}: …"` : ''}; its message is not copied, as it may quote Secret values (secretGenerator literals): run \`${[cmd, ...args].join(' ')}\` to read it`, dir);
  }
  return r.stdout;
}

/**
 * What kind of failure a tool reported, without what it quoted: the first part of its last error (`err="…"` in
 * kubectl's log line, `Error: …` for helm and kustomize) up to the first `: `, when it is plain words.
 */
export function failureKind(stderr: string): string | undefined {
  const lines = stderr.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const err = /\berr="(.*)"\s*$/.exec(last)?.[1] ?? /^Error: (.*)$/.exec(last)?.[1] ?? last;
  const head = err.split(': ')[0].trim();
  return /^[A-Za-z][A-Za-z0-9 ._/-]{2,80}$/.test(head) && head !== err.trim() ? head : undefined;
}

export function renderKustomize(dir: string): string {
  return run(process.env.KUBEGUARD_KUBECTL ?? 'kubectl', ['kustomize', dir], `rendering kustomization ${dir}`, dir);
}

export function renderHelm(dir: string): string {
  return run(process.env.KUBEGUARD_HELM ?? 'helm', ['template', basename(dir), dir], `rendering Helm chart ${dir}`, dir);
}
