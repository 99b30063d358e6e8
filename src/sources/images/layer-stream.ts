/**
 * Streams one layer blob (verify digest → decompress with bounds → untar) into the layered filesystem
 * index. File contents are kept only where an analyzer or the secret scan asked for them; Go binaries are
 * probed for build info as they pass. Nothing is written to disk.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { analyzerWants } from '../../analysis/images/analyzers/index.js';
import { GoBuildInfoProbe } from '../../analysis/images/analyzers/go-buildinfo.js';
import { entryComponents, toAbsolute } from '../../analysis/images/fs/paths.js';
import { secretCandidateLimit } from '../../analysis/images/hygiene/secrets.js';
import { ImageLimitError } from '../../analysis/images/errors.js';
import { KubeguardError } from '../../core/errors.js';
import { decompressLayer } from './decompress.js';
import { verifiedBytes } from './digest.js';
import type { EntryHeader, LayeredFs } from '../../analysis/images/fs/layered-fs.js';
import type { LayerFile } from '../../analysis/images/hygiene/secrets.js';
import type { ImageLimits } from './limits.js';

export interface LayerBlob {
  digest?: string;
  size?: number;
  mediaType?: string;
  open(): Promise<AsyncIterable<Buffer>>;
}

export interface BuildState {
  fs: LayeredFs;
  limits: ImageLimits;
  captured: number;
  uncompressed: number;
  /** Secret-candidate files of every layer (also those deleted by later layers). */
  layerFiles: LayerFile[];
}

function entryType(t: string): EntryHeader['type'] {
  if (t === 'file' || t === 'contiguous-file') return 'file';
  if (t === 'directory' || t === 'symlink' || t === 'link') return t;
  return 'other';
}

export async function applyLayer(state: BuildState, index: number, blob: LayerBlob): Promise<void> {
  const counter = { compressed: 0 };
  const raw = await blob.open();
  const bytes = decompressLayer(verifiedBytes(raw, { digest: blob.digest, size: blob.size, what: `layer ${blob.digest ?? index}` }, counter), counter, state.limits, state);
  const ex = extract();
  let failure: unknown;
  const feeding = pipeline(Readable.from(bytes), ex).catch((e: unknown) => {
    failure = e;
  });
  state.fs.beginLayer(index);
  try {
    for await (const entry of ex) {
      const h = entry.header;
      const type = entryType(h.type);
      const node = state.fs.addEntry({ name: h.name, type, mode: h.mode ?? 0, uid: h.uid, gid: h.gid, size: h.size ?? 0, linkname: h.linkname ?? undefined });
      if (!node || type !== 'file' || node.size === 0) {
        entry.resume();
        await new Promise<void>((res, rej) => entry.on('end', () => res()).on('error', rej));
        continue;
      }
      const path = toAbsolute(entryComponents(h.name));
      const keep = analyzerWants(path, node.size);
      const secretMax = secretCandidateLimit(path, node.size);
      const want = Math.max(keep >= node.size ? node.size : 0, secretMax >= node.size ? node.size : 0);
      const probe = (node.mode & 0o111) !== 0 && node.size > 1024 ? new GoBuildInfoProbe() : undefined;
      if (want > 0 && state.captured + want > state.limits.maxCapturedBytes) {
        throw new ImageLimitError(`captured file contents exceed ${state.limits.maxCapturedBytes} bytes`, 'maxCapturedBytes');
      }
      const chunks: Buffer[] | undefined = want > 0 ? [] : undefined;
      for await (const c of entry as AsyncIterable<Buffer>) {
        chunks?.push(c);
        probe?.push(c);
      }
      if (chunks) {
        const content = Buffer.concat(chunks);
        state.captured += content.length;
        if (keep >= node.size) node.content = content;
        if (secretMax >= node.size) state.layerFiles.push({ path, layer: index, content });
      }
      const gbi = probe?.end();
      if (gbi) node.goBuildInfo = gbi;
    }
  } catch (e) {
    ex.destroy();
    await feeding;
    throw e instanceof KubeguardError || !(failure instanceof KubeguardError) ? e : failure;
  }
  await feeding;
  if (failure) throw failure;
}
