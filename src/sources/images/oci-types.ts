/** OCI image-spec / Docker distribution manifest shapes and media types, and platform selection. */
import { ImageFormatError } from '../../analysis/images/errors.js';

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const MANIFEST_ACCEPT = [MT.ociIndex, MT.ociManifest, MT.dockerList, MT.dockerManifest].join(', ');

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform & { 'os.version'?: string };
  urls?: string[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export function isIndexMediaType(mt: string | undefined): boolean {
  return mt === MT.ociIndex || mt === MT.dockerList;
}

/** Parses a manifest or index document; the media type comes from the document or the transport. */
export function parseManifestDoc(body: Buffer, transportType?: string): { kind: 'index'; doc: ImageIndex } | { kind: 'manifest'; doc: ImageManifest } {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new ImageFormatError('manifest is not valid JSON', { cause: e });
  }
  if (!v || typeof v !== 'object') throw new ImageFormatError('manifest is not a JSON object');
  const o = v as Record<string, unknown>;
  const mt = typeof o.mediaType === 'string' ? o.mediaType : transportType?.split(';')[0].trim();
  if (Array.isArray(o.manifests) || isIndexMediaType(mt)) {
    if (!Array.isArray(o.manifests)) throw new ImageFormatError('image index without manifests');
    return { kind: 'index', doc: o as unknown as ImageIndex };
  }
  if (o.schemaVersion !== 2 || !o.config || !Array.isArray(o.layers)) {
    throw new ImageFormatError(`unsupported manifest (schemaVersion ${String(o.schemaVersion)}, media type ${mt ?? 'unknown'})`);
  }
  return { kind: 'manifest', doc: o as unknown as ImageManifest };
}

export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) throw new ImageFormatError(`invalid platform "${s}" (expected os/arch[/variant])`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Picks the manifest for a platform from an index (default linux/amd64), skipping attestation entries. */
export function selectPlatform(index: ImageIndex, want: Platform | undefined): Descriptor {
  const target = want ?? { os: 'linux', architecture: 'amd64' };
  const candidates = index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown');
  const match = candidates.find(
    (m) => m.platform!.os === target.os && m.platform!.architecture === target.architecture && (!target.variant || m.platform!.variant === target.variant),
  );
  if (match) return match;
  if (!want && index.manifests.length === 1) return index.manifests[0];
  const available = candidates.map((m) => formatPlatform(m.platform!)).join(', ') || 'none';
  throw new ImageFormatError(`no manifest for platform ${formatPlatform(target)} in the image index (available: ${available})`);
}
