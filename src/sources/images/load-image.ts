/**
 * Opens any image input and builds its filesystem index. Inputs are recognised by what they are: a regular
 * file is a tar archive (docker save, or an OCI layout in a tar), a directory with `oci-layout` is an OCI
 * layout, another directory is a root filesystem; anything else is a registry reference.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LayeredFs } from '../../analysis/images/fs/layered-fs.js';
import { ImageFormatError } from '../../analysis/images/errors.js';
import { openDockerArchive } from './docker-archive.js';
import { warmHashHelper } from './hash-offload.js';
import { applyLayersParallel, effectiveWorkers } from './layer-pool.js';
import { withLimits } from './limits.js';
import { openOciLayout } from './oci-layout.js';
import { parseReference } from '../../core/image-ref.js';
import { RegistryClient } from './registry/client.js';
import { dockerConfigProvider } from './registry/credentials.js';
import { openRegistryImage } from './registry/open-image.js';
import { applyRootfs } from './rootfs.js';
import type { LayerFile } from '../../analysis/images/hygiene/secrets.js';
import type { ImageHandle, ImageInputKind } from './image-handle.js';
import type { BuildState } from './layer-stream.js';
import type { ImageLimits } from './limits.js';
import type { Platform } from './oci-types.js';

export interface LoadImageOptions {
  platform?: Platform;
  limits?: Partial<ImageLimits>;
  client?: RegistryClient;
  insecureRegistries?: string[];
  /** Tag to select inside an OCI layout or docker archive holding several images. */
  tag?: string;
  /**
   * Worker threads for parsing layers, at most (default 0: on the calling thread). Fewer are used, or none,
   * when the machine has not the cores for them to pay off (see effectiveWorkers).
   */
  workers?: number;
}

export interface LoadedImage {
  handle: Omit<ImageHandle, 'layers' | 'close'> & { layerDigests: (string | undefined)[] };
  fs: LayeredFs;
  layerFiles: LayerFile[];
  stats: { files: number; uncompressedBytes: number; capturedBytes: number };
}

/**
 * Whether a missing input was meant as a local path: no image reference starts with `/`, `.` or `~`, and an archive
 * name is no repository anyone pulls. Such an input is an error, not a query to docker.io.
 */
function looksLikePath(input: string): boolean {
  return /^(\/|\.{1,2}(\/|$)|~(\/|$))/.test(input) || /\.(tar|tar\.gz|tgz)$/i.test(input);
}

async function kindOf(input: string): Promise<{ kind: ImageInputKind }> {
  const st = await stat(input).catch(() => undefined);
  if (!st && looksLikePath(input)) throw new ImageFormatError(`${input}: no such file or directory (a local path, so no registry was asked)`);
  if (!st) return { kind: 'registry' };
  if (st.isFile()) return { kind: 'docker-archive' };
  if (st.isDirectory()) {
    const layout = await stat(join(input, 'oci-layout')).catch(() => undefined);
    return { kind: layout?.isFile() ? 'oci-layout' : 'rootfs' };
  }
  return { kind: 'registry' };
}

/** Whether an input names an image in a registry (no such local file or directory, and not meant as a path). */
export async function isRegistryInput(input: string): Promise<boolean> {
  return (await kindOf(input).catch(() => ({ kind: 'path' }))).kind === 'registry';
}

export async function openImage(input: string, opts: LoadImageOptions = {}): Promise<ImageHandle> {
  const limits = withLimits(opts.limits);
  const { kind } = await kindOf(input);
  switch (kind) {
    case 'docker-archive':
      return openDockerArchive(input, { limits, platform: opts.platform, tag: opts.tag });
    case 'oci-layout':
      return openOciLayout(input, { limits, platform: opts.platform, tag: opts.tag });
    case 'rootfs':
      return { kind: 'rootfs', reference: input, layers: [] };
    default: {
      const client = opts.client ?? new RegistryClient({ credentials: dockerConfigProvider(), insecureRegistries: opts.insecureRegistries, maxManifestBytes: limits.maxManifestBytes });
      return openRegistryImage(client, parseReference(input), { platform: opts.platform, limits });
    }
  }
}

/**
 * Each layer paired with the config's rootfs.diff_ids entry, which its decompressed content must hash to; a config
 * listing another number of layers than the manifest describes another image.
 */
function withDiffIds(handle: ImageHandle): ImageHandle {
  const diffIds = handle.config?.rootfs?.diff_ids;
  if (handle.kind === 'rootfs' || diffIds === undefined) return handle;
  if (!Array.isArray(diffIds) || diffIds.length !== handle.layers.length) {
    throw new ImageFormatError(`the image config lists ${Array.isArray(diffIds) ? diffIds.length : 'no'} diff_ids for ${handle.layers.length} layers`);
  }
  return { ...handle, layers: handle.layers.map((l, i) => ({ ...l, diffId: diffIds[i] })) };
}

export async function loadImage(input: string, opts: LoadImageOptions = {}): Promise<LoadedImage> {
  const limits = withLimits(opts.limits);
  warmHashHelper(); // boots while the image is opened
  const handle = withDiffIds(await openImage(input, opts));
  const state: BuildState = { fs: new LayeredFs({ maxFiles: limits.maxFiles }), limits, captured: 0, uncompressed: 0, layerFiles: [] };
  try {
    if (handle.kind === 'rootfs') await applyRootfs(state, input);
    else await applyLayersParallel(state, handle.layers, { workers: effectiveWorkers(opts.workers ?? 0) });
  } finally {
    await handle.close?.();
  }
  const { layers, close: _close, ...rest } = handle;
  return {
    handle: { ...rest, layerDigests: layers.map((l) => l.digest) },
    fs: state.fs,
    layerFiles: state.layerFiles,
    stats: { files: state.fs.fileCount, uncompressedBytes: state.uncompressed, capturedBytes: state.captured },
  };
}
