/**
 * One layer blob → the list of its entries: verify digest → decompress with bounds → untar. File contents are
 * kept only where an analyzer or the secret scan asked for them; Go binaries are probed for build info as
 * they pass. Parsing does not touch the filesystem index, so layers can be parsed in parallel (see
 * layer-pool.ts) and then applied in order with `applyParsedLayer`. Nothing is written to disk.
 */
import { captureFor, keepsContent } from '../../analysis/images/capture.js';
import { WHITEOUT_PREFIX } from '../../analysis/images/fs/layered-fs.js';
import { entryComponents, toAbsolute } from '../../analysis/images/fs/paths.js';
import { ImageFormatError, ImageLimitError } from '../../analysis/images/errors.js';
import { decompressLayer } from './decompress.js';
import { parseDigest, verifiedBytes } from './digest.js';
import { createHash } from 'node:crypto';
import { TarReader } from './tar-reader.js';
import type { EntrySink } from './tar-reader.js';
import type { EntryHeader, LayeredFs } from '../../analysis/images/fs/layered-fs.js';
import type { LayerFile } from '../../analysis/images/hygiene/secrets.js';
import type { ImageLimits } from './limits.js';
import { appendAll } from '../../core/append.js';

export interface LayerBlob {
  digest?: string;
  /** The config's rootfs.diff_ids entry: the digest of the layer once decompressed. */
  diffId?: string;
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

export interface ParsedEntry extends EntryHeader {
  content?: Buffer;
  goBuildInfo?: Buffer;
  nodeVersion?: string;
}

export interface ParsedLayer {
  entries: ParsedEntry[];
  layerFiles: LayerFile[];
  captured: number;
  uncompressed: number;
}

/**
 * Parses a layer. With `onEntry`, each entry is handed over as soon as it is complete (with its path
 * components) instead of being collected, so a single-threaded build applies it at once.
 */
export async function parseLayer(
  raw: AsyncIterable<Buffer>,
  index: number,
  expected: { digest?: string; size?: number; diffId?: string },
  limits: ImageLimits,
  onEntry?: (e: ParsedEntry, parts: string[]) => void,
): Promise<ParsedLayer> {
  const counter = { compressed: 0 };
  const out: ParsedLayer = { entries: [], layerFiles: [], captured: 0, uncompressed: 0 };
  const what = `layer ${expected.digest ?? index}`;
  const emit = onEntry ?? ((e: ParsedEntry): void => void out.entries.push(e));
  let count = 0;
  const reader = new TarReader((e: ParsedEntry): EntrySink | undefined => {
    const parts = entryComponents(e.name); // refuses tar-slip names
    if (++count > limits.maxFiles) throw new ImageLimitError(`layer has more than ${limits.maxFiles} entries`, 'maxFiles');
    if (e.type !== 'file' || e.size === 0 || (parts[parts.length - 1] ?? '').startsWith(WHITEOUT_PREFIX)) {
      emit(e, parts);
      return undefined;
    }
    const path = toAbsolute(parts);
    const { keep, secret, probe } = captureFor(path, e.size, e.mode);
    const kept = keepsContent({ keep, secret });
    if (!kept && !probe) {
      emit(e, parts);
      return undefined;
    }
    if (kept && out.captured + e.size > limits.maxCapturedBytes) {
      throw new ImageLimitError(`captured file contents exceed ${limits.maxCapturedBytes} bytes`, 'maxCapturedBytes');
    }
    const chunks: Buffer[] | undefined = kept ? [] : undefined;
    return {
      data(c) {
        chunks?.push(c);
        probe?.push(c);
      },
      end() {
        if (chunks) {
          const content = Buffer.concat(chunks, e.size); // a copy: the chunks are views into decompressor buffers
          out.captured += content.length;
          if (keep) e.content = content;
          if (secret) out.layerFiles.push({ path, layer: index, content });
        }
        if (probe) Object.assign(e, probe.end());
        emit(e, parts);
      },
    };
  }, what);
  // The decompressed bytes must be what the config's diff_ids promise (an uncompressed blob already is its digest).
  const diffId = expected.diffId !== undefined && expected.diffId !== expected.digest ? parseDigest(expected.diffId) : undefined;
  const diffHash = diffId ? createHash(diffId.algorithm) : undefined;
  for await (const chunk of decompressLayer(verifiedBytes(raw, { ...expected, what }, counter), counter, limits, out)) {
    diffHash?.update(chunk);
    reader.push(chunk);
  }
  reader.end();
  if (diffHash && diffId) {
    const actual = diffHash.digest('hex');
    if (actual !== diffId.hex) throw new ImageFormatError(`${what}: decompressed content does not match the config's diff_id ${expected.diffId} (got ${diffId.algorithm}:${actual})`);
  }
  return out;
}

/** Applies a parsed layer to the index, in layer order. */
export function applyParsedLayer(state: BuildState, index: number, parsed: ParsedLayer): void {
  state.captured += parsed.captured;
  state.uncompressed += parsed.uncompressed;
  if (state.captured > state.limits.maxCapturedBytes) throw new ImageLimitError(`captured file contents exceed ${state.limits.maxCapturedBytes} bytes`, 'maxCapturedBytes');
  if (state.uncompressed > state.limits.maxTotalBytes) throw new ImageLimitError(`image exceeds ${state.limits.maxTotalBytes} uncompressed bytes`, 'maxTotalBytes');
  state.fs.beginLayer(index);
  for (const e of parsed.entries) {
    const node = state.fs.addEntry(e);
    if (!node) continue;
    if (e.content) node.content = e.content;
    if (e.goBuildInfo) node.goBuildInfo = e.goBuildInfo;
    if (e.nodeVersion) node.nodeVersion = e.nodeVersion;
  }
  appendAll(state.layerFiles, parsed.layerFiles);
}

/** Parses and applies one layer on this thread, entry by entry. */
export async function applyLayer(state: BuildState, index: number, blob: LayerBlob): Promise<void> {
  state.fs.beginLayer(index);
  const parsed = await parseLayer(await blob.open(), index, { digest: blob.digest, size: blob.size, diffId: blob.diffId }, state.limits, (e, parts) => {
    const node = state.fs.addEntry(e, parts);
    if (!node) return;
    if (e.content) node.content = e.content;
    if (e.goBuildInfo) node.goBuildInfo = e.goBuildInfo;
    if (e.nodeVersion) node.nodeVersion = e.nodeVersion;
  });
  applyParsedLayer(state, index, parsed); // no entries left: accounts captured bytes and secret candidates
}
