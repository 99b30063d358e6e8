/** Kustomize and Helm rendering through the real tools users run. */
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { SourceError } from '../../core/errors.js';

const MAX_RENDER_BYTES = 256 * 1024 * 1024;

function run(cmd: string, args: string[], what: string, dir: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: MAX_RENDER_BYTES, timeout: 120_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SourceError(`${what} needs \`${cmd}\` on PATH, and it was not found; install it, or pipe rendered output on stdin: \`${cmd} ... | kubeguard scan -\``, dir);
    throw new SourceError(`${what} failed: ${r.error.message}`, dir, { cause: r.error });
  }
  if (r.status !== 0) throw new SourceError(`${what} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`, dir);
  return r.stdout;
}

export function renderKustomize(dir: string): string {
  return run(process.env.KUBEGUARD_KUBECTL ?? 'kubectl', ['kustomize', dir], `rendering kustomization ${dir}`, dir);
}

export function renderHelm(dir: string): string {
  return run(process.env.KUBEGUARD_HELM ?? 'helm', ['template', basename(dir), dir], `rendering Helm chart ${dir}`, dir);
}
