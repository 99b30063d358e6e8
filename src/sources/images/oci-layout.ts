/** OCI image layout directories (image-spec image-layout.md): `oci-layout`, `index.json`, `blobs/<alg>/<hex>`. */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { ImageFormatError } from '../../analysis/images/errors.js';
import { readFileBounded } from './bounded-read.js';
import { parseDigest, verifyDigest } from './digest.js';
import { imageConfigOf, parseManifestDoc, selectPlatform } from './oci-types.js';
import type { ImageHandle } from './image-handle.js';
import type { ImageLimits } from './limits.js';
import type { Descriptor, Platform } from './oci-types.js';
import { parseJson } from '../../core/json-error.js';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export function blobPath(dir: string, digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return join(dir, 'blobs', algorithm, hex);
}

async function readBlob(dir: string, d: Descriptor, max: number, what: string): Promise<Buffer> {
  const buf = await readFileBounded(blobPath(dir, d.digest), max, what);
  verifyDigest(buf, d.digest, what);
  return buf;
}

export interface OciLayoutOptions {
  platform?: Platform;
  /** Selects the manifest whose ref.name annotation is this tag. */
  tag?: string;
  limits: ImageLimits;
}

export async function openOciLayout(dir: string, opts: OciLayoutOptions, reference = dir): Promise<ImageHandle> {
  const layout = parseJson((await readFileBounded(join(dir, 'oci-layout'), 4096, 'oci-layout')).toString('utf8')) as { imageLayoutVersion?: string };
  if (!layout.imageLayoutVersion) throw new ImageFormatError(`${dir}/oci-layout has no imageLayoutVersion`);
  const top = parseManifestDoc(await readFileBounded(join(dir, 'index.json'), opts.limits.maxManifestBytes, 'index.json'));
  if (top.kind !== 'index') throw new ImageFormatError(`${dir}/index.json is not an image index`);
  let candidates = top.doc.manifests;
  if (opts.tag) {
    candidates = candidates.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] === opts.tag);
    if (candidates.length === 0) throw new ImageFormatError(`no manifest tagged "${opts.tag}" in ${dir}`);
  }
  let desc: Descriptor = candidates.some((m) => m.platform) ? selectPlatform({ schemaVersion: 2, manifests: candidates }, opts.platform) : candidates[0];
  if (!desc) throw new ImageFormatError(`${dir}/index.json lists no manifests`);
  let indexDigest: string | undefined;
  for (let depth = 0; depth < 4; depth++) {
    const doc = parseManifestDoc(await readBlob(dir, desc, opts.limits.maxManifestBytes, `manifest ${desc.digest}`), desc.mediaType);
    if (doc.kind === 'index') {
      indexDigest = desc.digest;
      desc = selectPlatform(doc.doc, opts.platform);
      continue;
    }
    const manifest = doc.doc;
    const config = imageConfigOf(parseJson((await readBlob(dir, manifest.config, opts.limits.maxConfigBytes, 'image config')).toString('utf8')));
    return {
      kind: 'oci-layout',
      reference,
      manifestDigest: desc.digest,
      indexDigest,
      platform: desc.platform,
      config,
      configDigest: manifest.config.digest,
      layers: manifest.layers.map((l) => ({
        digest: l.digest,
        size: l.size,
        mediaType: l.mediaType,
        open: async () => createReadStream(blobPath(dir, l.digest), { highWaterMark: 1024 * 1024 }),
      })),
    };
  }
  throw new ImageFormatError(`${dir}: image indexes nested too deeply`);
}
