/**
 * Builds kubeguard's Dockerfile the way the image test needs it: Debian's buildah with vfs storage and chroot
 * isolation (no daemon), one storage root per build, bases assembled by scripts/image/local-bases.sh and pushed to
 * a test registry (src/sources/images/test-support/registry.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test-support/conformance.js';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the test process; output kept (bounded) for failure messages. */
export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout.length < 8 << 20 && (stdout += d.toString())));
    child.stderr.on('data', (d: Buffer) => void (stderr.length < 1 << 20 && (stderr += d.toString())));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // a command that exits without reading its input (EPIPE)
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export class Buildah {
  constructor(readonly storage: string) {
    mkdirSync(storage, { recursive: true });
  }

  private args(rest: string[]): string[] {
    return ['--root', join(this.storage, 'root'), '--runroot', join(this.storage, 'run'), '--storage-driver', 'vfs', ...rest];
  }

  async exec(...rest: string[]): Promise<string> {
    const r = await run('buildah', this.args(rest));
    if (r.code !== 0) throw new Error(`buildah ${rest.slice(0, 2).join(' ')} failed (${r.code}): ${r.stderr.slice(-4000)}${r.stdout.slice(-4000)}`);
    return r.stdout.trim();
  }

  /** Builds the repository's Dockerfile from the given bases and pushes the result; returns its manifest digest. */
  async buildAndPush(o: { buildImage: string; baseImage: string; epoch: number; tag: string; npmCache: string; workDir: string }): Promise<string> {
    await this.exec('build', '--isolation', 'chroot', '--tls-verify=false', '--timestamp', String(o.epoch), '--build-arg', `BUILD_IMAGE=${o.buildImage}`, '--build-arg', `BASE_IMAGE=${o.baseImage}`, '--volume', `${o.npmCache}:/root/.npm`, '--quiet', '-t', o.tag, REPO_ROOT);
    const digestFile = join(o.workDir, `digest-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await this.exec('push', '--tls-verify=false', '--digestfile', digestFile, o.tag);
    return readFileSync(digestFile, 'utf8').trim();
  }
}

/** Why the image build cannot run here, or undefined. */
export function buildUnavailable(): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v buildah && command -v unshare && command -v chroot'], { encoding: 'utf8' }).status !== 0) return 'buildah is not installed (bash scripts/setup.d/buildah.sh)';
  return undefined;
}

export const BUILD_ROOTFS = join(REPO_ROOT, '.cache', 'image-bases', 'bookworm-build');
