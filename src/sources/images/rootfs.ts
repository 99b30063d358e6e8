/**
 * A root filesystem directory on the host as a one-layer image. Symlinks are recorded, never followed on
 * the host (lstat, O_NOFOLLOW); they resolve later inside the index, clamped at the image root.
 */
import { constants, createReadStream } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BinaryProbe } from '../../analysis/images/analyzers/binary-probe.js';
import { captureFor, keepsContent } from '../../analysis/images/capture.js';
import { ImageLimitError } from '../../analysis/images/errors.js';
import type { BuildState } from './layer-stream.js';

async function readNoFollow(path: string, probe: BinaryProbe | undefined, keep: boolean): Promise<Buffer | undefined> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  const chunks: Buffer[] = [];
  try {
    for await (const c of createReadStream('', { fd: fh.fd, autoClose: false, highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      probe?.push(c);
      if (keep) chunks.push(c);
    }
  } finally {
    await fh.close();
  }
  return keep ? Buffer.concat(chunks) : undefined;
}

export async function applyRootfs(state: BuildState, dir: string): Promise<void> {
  state.fs.beginLayer(0);
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const full = join(dir, r);
      const st = await lstat(full);
      const base = { name: r, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0 };
      if (st.isDirectory()) {
        state.fs.addEntry({ ...base, type: 'directory' });
        stack.push(r);
      } else if (st.isSymbolicLink()) {
        state.fs.addEntry({ ...base, type: 'symlink', linkname: await readlink(full) });
      } else if (st.isFile()) {
        const node = state.fs.addEntry({ ...base, type: 'file', size: st.size })!;
        const path = `/${r}`;
        const { keep, secret, probe } = captureFor(path, st.size, st.mode);
        const kept = keepsContent({ keep, secret });
        if (!kept && !probe) continue;
        if (kept && state.captured + st.size > state.limits.maxCapturedBytes) {
          throw new ImageLimitError(`captured file contents exceed ${state.limits.maxCapturedBytes} bytes`, 'maxCapturedBytes');
        }
        const content = await readNoFollow(full, probe, kept);
        if (content) {
          state.captured += content.length;
          if (keep) node.content = content;
          if (secret) state.layerFiles.push({ path, layer: 0, content });
        }
        if (probe) Object.assign(node, probe.end());
      } else {
        state.fs.addEntry({ ...base, type: 'other' });
      }
    }
  }
}
