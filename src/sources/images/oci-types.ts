/** OCI image-spec / Docker distribution manifest shapes and media types, and platform selection. */
import { ImageFormatError } from '../../analysis/images/errors.js';
import { parseJson } from '../../core/json-error.js';
import type { ImageConfig } from '../../analysis/images/model.js';

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
  /** OCI 1.1: the type of the artifact a descriptor in a referrers index points to. */
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
  /** OCI 1.1 artifacts: what the artifact is, and the manifest it refers to. */
  artifactType?: string;
  subject?: Descriptor;
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
    v = parseJson(body.toString('utf8'));
  } catch (e) {
    throw new ImageFormatError('manifest is not valid JSON', { cause: e });
  }
  if (!v || typeof v !== 'object') throw new ImageFormatError('manifest is not a JSON object');
  const o = v as Record<string, unknown>;
  const mt = typeof o.mediaType === 'string' ? o.mediaType : transportType?.split(';')[0].trim();
  if (Array.isArray(o.manifests) || isIndexMediaType(mt)) {
    if (!Array.isArray(o.manifests)) throw new ImageFormatError('image index without manifests');
    o.manifests.forEach((d, i) => checkDescriptor(d, `manifests[${i}]`));
    return { kind: 'index', doc: o as unknown as ImageIndex };
  }
  if (o.schemaVersion !== 2 || !o.config || !Array.isArray(o.layers)) {
    throw new ImageFormatError(`unsupported manifest (schemaVersion ${String(o.schemaVersion)}, media type ${mt ?? 'unknown'})`);
  }
  checkDescriptor(o.config, 'config');
  o.layers.forEach((d, i) => checkDescriptor(d, `layers[${i}]`));
  return { kind: 'manifest', doc: o as unknown as ImageManifest };
}

/** A descriptor as the OCI image spec defines it (digest and size required), or an ImageFormatError naming it. */
export function checkDescriptor(d: unknown, what: string): asserts d is Descriptor {
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new ImageFormatError(`manifest: ${what} is not a descriptor object`);
  const o = d as Record<string, unknown>;
  if (typeof o.digest !== 'string') throw new ImageFormatError(`manifest: ${what}.digest must be a string`);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) throw new ImageFormatError(`manifest: ${what}.size must be a non-negative integer`);
  if (o.mediaType !== undefined && typeof o.mediaType !== 'string') throw new ImageFormatError(`manifest: ${what}.mediaType must be a string`);
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

/**
 * An image config checked for the fields analysis reads (image-spec config.md), so a hostile or broken config is an
 * ImageFormatError naming the field, not a TypeError deep in an analyzer.
 */
export function imageConfigOf(v: unknown): ImageConfig {
  const obj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const fail = (what: string): never => {
    throw new ImageFormatError(`image config: ${what}`);
  };
  if (!obj(v)) return fail('not a JSON object');
  for (const k of ['architecture', 'os', 'variant', 'created']) if (v[k] !== undefined && typeof v[k] !== 'string') fail(`${k} must be a string`);
  if (v.config !== undefined && v.config !== null) {
    if (!obj(v.config)) fail('config must be an object');
    const c = v.config as Record<string, unknown>;
    for (const k of ['User', 'WorkingDir']) if (c[k] !== undefined && c[k] !== null && typeof c[k] !== 'string') fail(`config.${k} must be a string`);
    for (const k of ['Env', 'Entrypoint', 'Cmd']) if (c[k] !== undefined && c[k] !== null && !strings(c[k])) fail(`config.${k} must be a list of strings`);
    for (const k of ['ExposedPorts', 'Labels']) if (c[k] !== undefined && c[k] !== null && !obj(c[k])) fail(`config.${k} must be an object`);
  }
  if (v.rootfs !== undefined) {
    if (!obj(v.rootfs) || !strings(v.rootfs.diff_ids)) fail('rootfs.diff_ids must be a list of strings');
  }
  if (v.history !== undefined && !(Array.isArray(v.history) && v.history.every(obj))) fail('history must be a list of objects');
  return v as ImageConfig;
}
