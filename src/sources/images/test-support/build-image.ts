/**
 * Test helpers that assemble real images: tar layers made with tar-stream (gzip via zlib, zstd via the
 * zstd(1) CLI), written as OCI layouts (with multi-platform indexes) or docker-save archives.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { digestOf } from '../digest.js';
import { MT } from '../oci-types.js';
import type { ImageConfig } from '../../../analysis/images/model.js';
import type { Descriptor, Platform } from '../oci-types.js';

export interface FileSpec {
  path: string;
  content?: string | Buffer;
  mode?: number;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
  uid?: number;
}

export async function makeTar(files: readonly FileSpec[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    p.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const f of files) {
    const type = f.type ?? 'file';
    const content = type === 'file' ? (typeof f.content === 'string' ? Buffer.from(f.content) : (f.content ?? Buffer.alloc(0))) : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = { name: f.path, type, mode: f.mode ?? (type === 'directory' ? 0o755 : 0o644), linkname: f.linkname, uid: f.uid ?? 0, gid: 0, mtime: new Date(0) };
      if (content) p.entry(header, content, (err) => (err ? reject(err) : resolve()));
      else p.entry(header, (err) => (err ? reject(err) : resolve()));
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

export type Compression = 'gzip' | 'zstd' | 'none';

export function compress(tar: Buffer, c: Compression): Buffer {
  if (c === 'gzip') return gzipSync(tar);
  if (c === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: tar, maxBuffer: 1024 ** 3 });
  return tar;
}

export interface BuiltLayer {
  blob: Buffer;
  diffId: string;
  mediaType: string;
}

export async function makeLayer(files: readonly FileSpec[], c: Compression = 'gzip'): Promise<BuiltLayer> {
  const tar = await makeTar(files);
  const mediaType = c === 'gzip' ? MT.ociLayerGzip : c === 'zstd' ? MT.ociLayerZstd : MT.ociLayerTar;
  return { blob: compress(tar, c), diffId: digestOf(tar), mediaType };
}

export interface ImageSpec {
  layers: BuiltLayer[];
  config?: Partial<ImageConfig>;
  platform?: Platform;
  tag?: string;
}

function writeBlob(dir: string, data: Buffer): string {
  const d = digestOf(data);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), data);
  return d;
}

export function imageConfig(spec: ImageSpec): ImageConfig {
  return {
    architecture: spec.platform?.architecture ?? 'amd64',
    os: spec.platform?.os ?? 'linux',
    ...(spec.platform?.variant ? { variant: spec.platform.variant } : {}),
    created: '2026-01-01T00:00:00Z',
    config: {},
    ...spec.config,
    rootfs: { type: 'layers', diff_ids: spec.layers.map((l) => l.diffId) },
  };
}

/** Writes one image's blobs; returns its manifest descriptor. */
export function writeImageBlobs(dir: string, spec: ImageSpec): Descriptor {
  const cfg = Buffer.from(JSON.stringify(imageConfig(spec)));
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: writeBlob(dir, cfg), size: cfg.length },
    layers: spec.layers.map((l) => ({ mediaType: l.mediaType, digest: writeBlob(dir, l.blob), size: l.blob.length })),
  };
  const body = Buffer.from(JSON.stringify(manifest));
  return { mediaType: MT.ociManifest, digest: writeBlob(dir, body), size: body.length, ...(spec.platform ? { platform: spec.platform } : {}) };
}

/**
 * Writes an OCI layout. With `asIndex`, all images go into one image index (multi-platform) tagged `indexTag`;
 * otherwise each image is listed in index.json with its own tag.
 */
export function writeOciLayout(dir: string, images: readonly ImageSpec[], opts: { asIndex?: boolean; indexTag?: string } = {}): { manifests: Descriptor[]; index?: Descriptor } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests = images.map((i) => writeImageBlobs(dir, i));
  let top: Descriptor[];
  let index: Descriptor | undefined;
  if (opts.asIndex) {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests }));
    index = { mediaType: MT.ociIndex, digest: writeBlob(dir, body), size: body.length, annotations: { 'org.opencontainers.image.ref.name': opts.indexTag ?? 'latest' } };
    top = [index];
  } else {
    top = manifests.map((m, i) => ({ ...m, annotations: { 'org.opencontainers.image.ref.name': images[i].tag ?? 'latest' } }));
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: top }));
  return { manifests, index };
}

/** Writes a legacy `docker save` archive (uncompressed `<id>/layer.tar` members, manifest.json). */
export async function writeDockerSave(file: string, spec: ImageSpec, repoTag = 'test/image:latest'): Promise<void> {
  const cfg = Buffer.from(JSON.stringify(imageConfig(spec)));
  const cfgName = `${digestOf(cfg).slice(7)}.json`;
  const files: FileSpec[] = [{ path: cfgName, content: cfg }];
  const layerNames: string[] = [];
  for (const l of spec.layers) {
    const tar = l.mediaType === MT.ociLayerTar ? l.blob : l.mediaType === MT.ociLayerGzip ? gunzipSync(l.blob) : execFileSync('zstd', ['-q', '-d', '-c'], { input: l.blob, maxBuffer: 1024 ** 3 });
    const name = `${digestOf(tar).slice(7)}/layer.tar`;
    layerNames.push(name);
    files.push({ path: name, content: tar });
  }
  files.push({ path: 'manifest.json', content: JSON.stringify([{ Config: cfgName, RepoTags: [repoTag], Layers: layerNames }]) });
  writeFileSync(file, await makeTar(files));
}
