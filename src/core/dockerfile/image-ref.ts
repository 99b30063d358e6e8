/**
 * Container image references, split as the distribution reference grammar does
 * (https://github.com/distribution/reference/blob/main/reference.go): [registry/]repository[:tag][@digest].
 * The first path component is a registry when it contains "." or ":" or is "localhost"; otherwise the image lives
 * on Docker Hub (docker.io), and single-component names are under "library/".
 */

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

export function parseImageRef(raw: string): ImageRef {
  const ref = raw.trim();
  let rest = ref;
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
  const out: ImageRef = { raw: ref, repository: rest };
  if (registry !== undefined) out.registry = registry;
  if (tag !== undefined && tag !== '') out.tag = tag;
  if (digest !== undefined && digest !== '') out.digest = digest;
  return out;
}

/** The fully qualified name without tag or digest: "nginx" → "docker.io/library/nginx". */
export function normalizedName(ref: ImageRef): string {
  const registry = ref.registry === undefined || ref.registry === 'index.docker.io' ? 'docker.io' : ref.registry;
  const repo = registry === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return `${registry}/${repo}`;
}

/** The registry host an image is pulled from ("docker.io" for Docker Hub shorthand). */
export function registryOf(ref: ImageRef): string {
  return ref.registry === undefined || ref.registry === 'index.docker.io' ? 'docker.io' : ref.registry;
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
