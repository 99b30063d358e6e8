/**
 * Pushes an image (or a whole multi-platform index) from an OCI layout directory to a registry: blobs first,
 * then child manifests by digest, then the top manifest under the tag.
 */
import { ImageFormatError } from '../../../analysis/images/errors.js';
import { readFileBounded } from '../bounded-read.js';
import { verifyDigest } from '../digest.js';
import { blobPath, REF_NAME_ANNOTATION } from '../oci-layout.js';
import { MT, parseManifestDoc } from '../oci-types.js';
import { join } from 'node:path';
import type { Descriptor } from '../oci-types.js';
import type { ImageReference } from '../../../core/image-ref.js';
import type { RegistryClient } from './client.js';

const MAX_BLOB_IN_MEMORY = 2 * 1024 ** 3;

async function pushDescriptor(client: RegistryClient, dir: string, ref: ImageReference, d: Descriptor, tag?: string): Promise<void> {
  const body = await readFileBounded(blobPath(dir, d.digest), MAX_BLOB_IN_MEMORY, `blob ${d.digest}`);
  verifyDigest(body, d.digest, `blob ${d.digest}`);
  const doc = parseManifestDoc(body, d.mediaType);
  if (doc.kind === 'index') {
    for (const m of doc.doc.manifests) await pushDescriptor(client, dir, ref, m);
  } else {
    for (const b of [doc.doc.config, ...doc.doc.layers]) {
      const data = await readFileBounded(blobPath(dir, b.digest), MAX_BLOB_IN_MEMORY, `blob ${b.digest}`);
      verifyDigest(data, b.digest, `blob ${b.digest}`);
      await client.pushBlob(ref, data, b.digest);
    }
  }
  const mediaType = (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ?? d.mediaType ?? (doc.kind === 'index' ? MT.ociIndex : MT.ociManifest);
  await client.putManifest(ref, tag ?? d.digest, body, mediaType);
}

/** Pushes the manifest tagged `layoutTag` (or the only one) of an OCI layout as `ref.tag`. Returns its digest. */
export async function pushOciLayout(client: RegistryClient, dir: string, ref: ImageReference, layoutTag?: string): Promise<string> {
  const top = parseManifestDoc(await readFileBounded(join(dir, 'index.json'), 4 * 1024 * 1024, 'index.json'));
  if (top.kind !== 'index') throw new ImageFormatError('index.json is not an index');
  const ms = layoutTag ? top.doc.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] === layoutTag) : top.doc.manifests;
  if (ms.length !== 1) throw new ImageFormatError(`expected one manifest to push in ${dir}, found ${ms.length}`);
  await pushDescriptor(client, dir, ref, ms[0], ref.tag ?? ref.digest);
  return ms[0].digest;
}
