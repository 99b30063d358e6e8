/**
 * `docker save` archives: `manifest.json` ([{Config, RepoTags, Layers}]) pointing at members of the same tar
 * (legacy `<id>/layer.tar` or, since Docker 25, OCI `blobs/sha256/<hex>`). Members are read in place by
 * offset; when the archive is an OCI layout in a tar without manifest.json, its index.json is used.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { ImageFormatError, ImageLimitError, ImageSecurityError } from '../../analysis/images/errors.js';
import { entryComponents } from '../../analysis/images/fs/paths.js';
import { digestOf, verifyDigest } from './digest.js';
import { imageConfigOf, parseManifestDoc, selectPlatform } from './oci-types.js';
import { indexTar } from './tar-index.js';
import type { ImageHandle } from './image-handle.js';
import type { ImageLimits } from './limits.js';
import type { Descriptor, Platform } from './oci-types.js';
import type { TarMember } from './tar-index.js';
import { parseJson } from '../../core/json-error.js';

interface SaveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** manifest.json checked for what is read of it: a list of {Config: string, Layers: string[], RepoTags?}. */
function saveManifest(v: unknown, file: string): SaveManifestEntry[] {
  if (!Array.isArray(v) || v.length === 0) throw new ImageFormatError(`${file}: manifest.json lists no images`);
  v.forEach((e: unknown, i) => {
    const o = (e && typeof e === 'object' && !Array.isArray(e) ? e : undefined) as Record<string, unknown> | undefined;
    if (!o) throw new ImageFormatError(`${file}: manifest.json entry ${i} is not an object`);
    if (typeof o.Config !== 'string') throw new ImageFormatError(`${file}: manifest.json entry ${i}: Config must be a string`);
    if (!Array.isArray(o.Layers) || !o.Layers.every((l) => typeof l === 'string')) throw new ImageFormatError(`${file}: manifest.json entry ${i}: Layers must be a list of strings`);
    if (o.RepoTags !== undefined && o.RepoTags !== null && !(Array.isArray(o.RepoTags) && o.RepoTags.every((t) => typeof t === 'string'))) {
      throw new ImageFormatError(`${file}: manifest.json entry ${i}: RepoTags must be a list of strings`);
    }
  });
  return v as SaveManifestEntry[];
}

function memberStream(file: string, m: TarMember): AsyncIterable<Buffer> {
  if (m.size === 0) return (async function* () {})();
  return createReadStream(file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1024 * 1024 });
}

async function readMember(file: string, m: TarMember, max: number, what: string): Promise<Buffer> {
  if (m.size > max) throw new ImageLimitError(`${what} is ${m.size} bytes (limit ${max})`, 'maxManifestBytes');
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(m.size);
    await fh.read(buf, 0, m.size, m.offset);
    return buf;
  } finally {
    await fh.close();
  }
}

export interface DockerArchiveOptions {
  limits: ImageLimits;
  platform?: Platform;
  /** Selects the image whose RepoTags contain this tag when the archive holds several. */
  tag?: string;
}

export async function openDockerArchive(file: string, opts: DockerArchiveOptions, reference = file): Promise<ImageHandle> {
  const members = new Map<string, TarMember>();
  for (const m of await indexTar(file)) {
    // Member names are only used as lookup keys, but a hostile name is still a hostile archive.
    const parts = entryComponents(m.name);
    if (m.type === '1' || m.type === '2') continue; // links are never followed for blobs
    members.set(parts.join('/'), m);
  }
  const get = (name: string): TarMember => {
    let parts: string[];
    try {
      parts = entryComponents(name);
    } catch (e) {
      throw new ImageSecurityError(`refused docker archive: manifest points outside the archive (${name})`, name, { cause: e });
    }
    const m = members.get(parts.join('/'));
    if (!m) throw new ImageFormatError(`${file}: member ${name} not found`);
    return m;
  };
  const manifestMember = members.get('manifest.json');
  if (!manifestMember) {
    if (!members.has('index.json') || !members.has('oci-layout')) throw new ImageFormatError(`${file}: neither a docker save archive nor an OCI layout tar`);
    return openOciTar(file, members, get, opts, reference);
  }
  const entries = saveManifest(parseJson((await readMember(file, manifestMember, opts.limits.maxManifestBytes, 'manifest.json')).toString('utf8')), file);
  const entry = opts.tag ? entries.find((e) => e.RepoTags?.some((t) => t === opts.tag || t.endsWith(`:${opts.tag}`))) : entries[0];
  if (!entry) throw new ImageFormatError(`${file}: no image tagged ${opts.tag}`);
  if (entry.Layers.length > opts.limits.maxLayers) throw new ImageLimitError(`image has ${entry.Layers.length} layers`, 'maxLayers');
  const configBuf = await readMember(file, get(entry.Config), opts.limits.maxConfigBytes, 'image config');
  const config = imageConfigOf(parseJson(configBuf.toString('utf8')));
  const diffIds = config.rootfs?.diff_ids ?? [];
  return {
    kind: 'docker-archive',
    reference,
    config,
    configDigest: digestOf(configBuf),
    layers: entry.Layers.map((name, i) => {
      const m = get(name);
      // Legacy layer.tar members are uncompressed and their digest is the diff_id; blobs/ names carry the digest.
      const blobDigest = /^blobs\/sha256\/[a-f0-9]{64}$/.test(entryComponents(name).join('/')) ? `sha256:${name.split('/').pop()}` : undefined;
      const digest = blobDigest ?? (diffIds[i] && name.endsWith('.tar') ? diffIds[i] : undefined);
      return { digest, size: m.size, open: async () => memberStream(file, m) };
    }),
  };
}

async function openOciTar(
  file: string,
  members: Map<string, TarMember>,
  get: (name: string) => TarMember,
  opts: DockerArchiveOptions,
  reference: string,
): Promise<ImageHandle> {
  const blob = (d: Descriptor): TarMember => get(`blobs/${d.digest.replace(':', '/')}`);
  const readBlob = async (d: Descriptor, max: number, what: string): Promise<Buffer> => {
    const b = await readMember(file, blob(d), max, what);
    verifyDigest(b, d.digest, what);
    return b;
  };
  const top = parseManifestDoc(await readMember(file, members.get('index.json')!, opts.limits.maxManifestBytes, 'index.json'));
  if (top.kind !== 'index') throw new ImageFormatError(`${file}: index.json is not an index`);
  let desc = top.doc.manifests.some((m) => m.platform) ? selectPlatform(top.doc, opts.platform) : top.doc.manifests[0];
  for (let depth = 0; depth < 4; depth++) {
    const doc = parseManifestDoc(await readBlob(desc, opts.limits.maxManifestBytes, 'manifest'), desc.mediaType);
    if (doc.kind === 'index') {
      desc = selectPlatform(doc.doc, opts.platform);
      continue;
    }
    const config = imageConfigOf(parseJson((await readBlob(doc.doc.config, opts.limits.maxConfigBytes, 'config')).toString('utf8')));
    return {
      kind: 'docker-archive',
      reference,
      manifestDigest: desc.digest,
      config,
      configDigest: doc.doc.config.digest,
      layers: doc.doc.layers.map((l) => {
        const m = blob(l);
        return { digest: l.digest, size: l.size, mediaType: l.mediaType, open: async () => memberStream(file, m) };
      }),
    };
  }
  throw new ImageFormatError(`${file}: image indexes nested too deeply`);
}
