/**
 * Container image references — the one home of the idea: split as the distribution reference grammar does
 * (https://github.com/distribution/reference/blob/main/reference.go): [registry/]repository[:tag][@digest].
 * The first path component is a registry when it contains "." or ":" or is "localhost"; otherwise the image lives
 * on Docker Hub (docker.io), and single-component names are under "library/".
 *
 * - parseImageRef: as written in a manifest or Dockerfile, never throws (rules judge what is there);
 * - parseReference: a reference to pull, validated and normalised (docker.io/library/…, tag latest), throws;
 * - normalizedName / registryOf: Docker Hub normalisation; isValidDigest: the one digest check.
 */
import { UsageError } from './errors.js';

export interface ImageRef {
  /** As written. */
  raw: string;
  /** Registry host as written, or undefined for Docker Hub shorthand. */
  registry?: string;
  /** Repository path as written, without registry, tag or digest. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** A reference to pull: registry and repository normalised, tag "latest" when neither tag nor digest is given. */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** The parts as written; tag and digest are '' when the separator is there with nothing after it. */
function split(raw: string): Omit<ImageRef, 'raw'> {
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.slice(colon).includes('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, ...(registry !== undefined && { registry }), ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

export function parseImageRef(raw: string): ImageRef {
  const ref = raw.trim();
  const { registry, repository, tag, digest } = split(ref);
  const out: ImageRef = { raw: ref, repository };
  if (registry !== undefined) out.registry = registry;
  if (tag !== undefined && tag !== '') out.tag = tag;
  if (digest !== undefined && digest !== '') out.digest = digest;
  return out;
}

/** The registry host an image is pulled from ("docker.io" for Docker Hub shorthand and index.docker.io). */
export function registryOf(ref: Pick<ImageRef, 'registry'>): string {
  return ref.registry === undefined || ref.registry === 'index.docker.io' ? 'docker.io' : ref.registry;
}

/** The repository as Docker Hub names it: single-component names are under "library/". */
function repositoryOf(ref: Pick<ImageRef, 'registry' | 'repository'>): string {
  return registryOf(ref) === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
}

/** The fully qualified name without tag or digest: "nginx" → "docker.io/library/nginx". */
export function normalizedName(ref: Pick<ImageRef, 'registry' | 'repository'>): string {
  return `${registryOf(ref)}/${repositoryOf(ref)}`;
}

/**
 * Whether a digest is well-formed per the OCI image spec (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests):
 * `algorithm ":" encoded` with algorithm components [a-z0-9]+ joined by [+._-] and encoded [a-zA-Z0-9=_-]+; the registered
 * algorithms fix the encoding: sha256 and blake3 are 64 lower-case hex characters, sha512 is 128.
 */
export function isValidDigest(digest: string): boolean {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  if (!m) return false;
  const [, algorithm, encoded] = m;
  if (algorithm === 'sha256' || algorithm === 'blake3') return /^[a-f0-9]{64}$/.test(encoded);
  if (algorithm === 'sha512') return /^[a-f0-9]{128}$/.test(encoded);
  return true;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** A reference to pull, validated (repository components, tag, digest) and normalised; UsageError otherwise. */
export function parseReference(input: string): ImageReference {
  const parts = split(input.trim());
  if (parts.digest !== undefined && !isValidDigest(parts.digest)) throw new UsageError(`invalid digest in image reference "${input}"`);
  if (parts.tag !== undefined && !TAG.test(parts.tag)) throw new UsageError(`invalid tag in image reference "${input}"`);
  const repository = repositoryOf(parts);
  for (const p of repository.split('/')) {
    if (!PATH_COMPONENT.test(p)) throw new UsageError(`invalid image reference "${input}" (repository component "${p}")`);
  }
  const tag = parts.tag ?? (parts.digest === undefined ? 'latest' : undefined);
  return { registry: registryOf(parts), repository, ...(tag !== undefined && { tag }), ...(parts.digest !== undefined && { digest: parts.digest }) };
}

export function formatReference(r: ImageReference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
