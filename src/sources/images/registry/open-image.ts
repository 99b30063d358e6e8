import { ImageFormatError, ImageLimitError } from '../../../analysis/images/errors.js';
import { collectBounded } from '../bounded-read.js';
import { verifiedBytes } from '../digest.js';
import { formatReference } from '../../../core/image-ref.js';
import { imageConfigOf, parseManifestDoc, selectPlatform } from '../oci-types.js';
import type { ImageHandle } from '../image-handle.js';
import type { ImageLimits } from '../limits.js';
import type { Platform } from '../oci-types.js';
import type { ImageReference } from '../../../core/image-ref.js';
import type { RegistryClient } from './client.js';
import { parseJson } from '../../../core/json-error.js';

/** Resolves a reference to one image manifest (selecting a platform from an index) and its config. */
export async function openRegistryImage(
  client: RegistryClient,
  ref: ImageReference,
  opts: { platform?: Platform; limits: ImageLimits },
): Promise<ImageHandle> {
  let fetched = await client.getManifest(ref);
  let doc = parseManifestDoc(fetched.body, fetched.mediaType);
  let indexDigest: string | undefined;
  let platform: Platform | undefined;
  if (doc.kind === 'index') {
    indexDigest = fetched.digest;
    const d = selectPlatform(doc.doc, opts.platform);
    platform = d.platform;
    fetched = await client.getManifest(ref, d.digest);
    doc = parseManifestDoc(fetched.body, fetched.mediaType);
    if (doc.kind !== 'manifest') throw new ImageFormatError('nested image indexes are not supported from a registry');
  }
  const manifest = doc.doc;
  if (manifest.layers.length > opts.limits.maxLayers) throw new ImageLimitError(`image has ${manifest.layers.length} layers`, 'maxLayers');
  const counter = { compressed: 0 };
  const cfgBytes = await collectBounded(
    verifiedBytes(await client.openBlob(ref, manifest.config.digest), { digest: manifest.config.digest, what: 'image config' }, counter),
    opts.limits.maxConfigBytes,
    'image config',
  );
  const config = imageConfigOf(parseJson(cfgBytes.toString('utf8')));
  return {
    kind: 'registry',
    reference: formatReference(ref),
    manifestDigest: fetched.digest,
    indexDigest,
    platform: platform ?? (config.os && config.architecture ? { os: config.os, architecture: config.architecture, variant: config.variant } : undefined),
    config,
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType, open: () => client.openBlob(ref, l.digest) })),
  };
}
