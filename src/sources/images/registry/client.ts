/**
 * A registry client per the OCI distribution spec (https://github.com/opencontainers/distribution-spec,
 * spec.md): pull manifests and blobs, push blobs (monolithic POST+PUT) and manifests. Authentication:
 * anonymous, Basic, and the Bearer token flow (distribution docs/spec/auth/token.md): on 401 the
 * WWW-Authenticate challenge names a realm; a token is fetched there (with Basic credentials when known)
 * for the repository scope and cached. Plain HTTP only for loopback or explicitly insecure registries.
 */
import { appendAll } from '../../../core/append.js';
import { Readable } from 'node:stream';
import { ImageFormatError, ImageLimitError } from '../../../analysis/images/errors.js';
import { SourceError } from '../../../core/errors.js';
import { collectBounded } from '../bounded-read.js';
import { digestOf, parseDigest } from '../digest.js';
import { apiHost, isLoopbackRegistry } from '../registry-host.js';
import { MANIFEST_ACCEPT, MT, parseManifestDoc } from '../oci-types.js';
import type { Descriptor, ImageIndex } from '../oci-types.js';
import { parseChallenge } from './challenge.js';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ImageReference } from '../../../core/image-ref.js';
import type { Challenge } from './challenge.js';
import type { CredentialProvider, Credentials } from './credentials.js';
import { parseJson } from '../../../core/json-error.js';

/** Pages of a referrers answer followed at most. */
export const MAX_REFERRER_PAGES = 16;

/** The `rel="next"` target of a Link header, resolved against the request URL; only on the same origin. */
export function nextLink(header: string | null, requestUrl: string): URL | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m || !/(^|;)\s*rel="?next"?\s*(;|$)/i.test(m[2])) continue;
    let url: URL;
    try {
      url = new URL(m[1], requestUrl);
    } catch {
      return undefined;
    }
    return url.origin === new URL(requestUrl).origin ? url : undefined;
  }
  return undefined;
}

export interface RegistryClientOptions {
  credentials?: CredentialProvider;
  /** Registries (host[:port]) that may be spoken to over plain HTTP besides loopback. */
  insecureRegistries?: string[];
  maxManifestBytes?: number;
  userAgent?: string;
}

export interface FetchedManifest {
  body: Buffer;
  mediaType?: string;
  digest: string;
}

export class RegistryError extends SourceError {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}

export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private readonly challenges = new Map<string, Challenge>();
  private readonly maxManifest: number;

  constructor(private readonly opts: RegistryClientOptions = {}) {
    this.maxManifest = opts.maxManifestBytes ?? 4 * 1024 * 1024;
  }

  private base(registry: string): string {
    const plain = isLoopbackRegistry(registry) || (this.opts.insecureRegistries ?? []).includes(registry);
    return `${plain ? 'http' : 'https'}://${apiHost(registry)}`;
  }

  private async creds(registry: string): Promise<Credentials | undefined> {
    return this.opts.credentials ? this.opts.credentials(registry) : undefined;
  }

  private async authorization(registry: string, scope: string): Promise<string | undefined> {
    const ch = this.challenges.get(registry);
    if (!ch) return undefined;
    if (ch.scheme === 'basic') {
      const c = await this.creds(registry);
      return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
    }
    if (ch.scheme !== 'bearer') return undefined;
    const key = `${registry} ${scope}`;
    const cached = this.tokens.get(key);
    if (cached) return `Bearer ${cached}`;
    const realm = ch.params.realm;
    if (!realm) throw new RegistryError(`${registry}: bearer challenge without realm`);
    const url = new URL(realm);
    if (ch.params.service) url.searchParams.set('service', ch.params.service);
    url.searchParams.set('scope', scope);
    if (url.protocol === 'http:' && !isLoopbackRegistry(url.host) && !(this.opts.insecureRegistries ?? []).includes(url.host)) {
      throw new RegistryError(`${registry}: refusing to fetch a token over plain HTTP from ${url.host}`);
    }
    const c = await this.creds(registry);
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'kubeguard' };
    if (c) headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    const res = await fetch(url, { headers });
    if (!res.ok) throw new RegistryError(`${registry}: token request failed with HTTP ${res.status}`, res.status);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`${registry}: token response has no token`);
    this.tokens.set(key, token);
    return `Bearer ${token}`;
  }

  /** Sends a request, answering one auth challenge if the registry asks. `path` starts with /v2/. */
  async request(registry: string, path: string, init: RequestInit & { scope: string }): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base(registry)}${path}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers = new Headers(init.headers);
      headers.set('user-agent', this.opts.userAgent ?? 'kubeguard');
      const auth = await this.authorization(registry, init.scope);
      if (auth) headers.set('authorization', auth);
      let res: Response;
      try {
        res = await fetch(url, { ...init, headers, redirect: 'follow' });
      } catch (e) {
        throw new RegistryError(`${registry}: ${init.method ?? 'GET'} ${path} failed: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
      }
      if (res.status !== 401 || attempt > 0) return res;
      const ch = parseChallenge(res.headers.get('www-authenticate'));
      await res.body?.cancel();
      if (!ch) return res;
      this.challenges.set(registry, ch);
      this.tokens.delete(`${registry} ${init.scope}`);
    }
    throw new Error('unreachable');
  }

  private scope(ref: ImageReference, push = false): string {
    return `repository:${ref.repository}:${push ? 'pull,push' : 'pull'}`;
  }

  private static async fail(res: Response, what: string): Promise<never> {
    let detail = '';
    try {
      const t = await res.text();
      const j = parseJson(t) as { errors?: { code?: string; message?: string }[] };
      detail = j.errors?.map((e) => `${e.code}: ${e.message}`).join('; ') ?? '';
    } catch {
      /* not a JSON error body */
    }
    throw new RegistryError(`${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`, res.status);
  }

  /** Fetches a manifest or index by tag or digest; the digest is verified when asked by digest. */
  async getManifest(ref: ImageReference, reference = ref.digest ?? ref.tag ?? 'latest'): Promise<FetchedManifest> {
    const res = await this.request(ref.registry, `/v2/${ref.repository}/manifests/${reference}`, {
      method: 'GET',
      headers: { accept: MANIFEST_ACCEPT },
      scope: this.scope(ref),
    });
    if (!res.ok) return RegistryClient.fail(res, `manifest ${ref.registry}/${ref.repository}:${reference}`);
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > this.maxManifest) {
      await res.body?.cancel();
      throw new ImageLimitError(`manifest of ${len} bytes refused (limit ${this.maxManifest})`, 'maxManifestBytes');
    }
    const stream: AsyncIterable<Buffer> = res.body ? (Readable.fromWeb(res.body as WebReadableStream) as AsyncIterable<Buffer>) : (async function* () {})();
    const body = await collectBounded(stream, this.maxManifest, 'manifest');
    const digest = reference.includes(':') ? reference : (res.headers.get('docker-content-digest') ?? digestOf(body));
    if (reference.includes(':')) {
      const { algorithm } = parseDigest(reference);
      const actual = digestOf(body, algorithm);
      if (actual !== reference) throw new ImageFormatError(`manifest digest mismatch: asked ${reference}, got ${actual}`);
    } else if (digest !== digestOf(body, parseDigest(digest).algorithm)) {
      throw new ImageFormatError(`manifest digest mismatch: registry says ${digest}, content is ${digestOf(body)}`);
    }
    return { body, mediaType: res.headers.get('content-type') ?? undefined, digest };
  }

  /**
   * OCI 1.1 referrers of a manifest (distribution-spec "Listing Referrers"): the referrers API, or — where the
   * registry has none (404) — the fallback tag `sha256-<hex>` holding an index, as the spec's "Referrers Tag
   * Schema" and cosign do. An empty index when neither exists. The API's pages (Link rel="next") are followed.
   */
  async getReferrers(ref: ImageReference, digest: string): Promise<{ index: ImageIndex; via: 'api' | 'tag' }> {
    const { algorithm, hex } = parseDigest(digest);
    const first = `/v2/${ref.repository}/referrers/${digest}`;
    const res = await this.request(ref.registry, first, { method: 'GET', headers: { accept: MT.ociIndex }, scope: this.scope(ref) });
    if (res.ok) return { index: await this.referrerPages(ref, res, first), via: 'api' };
    await res.body?.cancel();
    if (res.status !== 404 && res.status !== 405 && res.status !== 400) return RegistryClient.fail(res, `referrers of ${digest}`);
    try {
      const tagged = await this.getManifest(ref, `${algorithm}-${hex}`);
      const doc = parseManifestDoc(tagged.body, tagged.mediaType);
      return { index: doc.kind === 'index' ? doc.doc : { schemaVersion: 2, manifests: [] }, via: 'tag' };
    } catch (e) {
      if (e instanceof RegistryError && e.status === 404) return { index: { schemaVersion: 2, manifests: [] }, via: 'tag' };
      throw e;
    }
  }

  /**
   * The referrers API's answer, its pages followed: a `Link: <url>; rel="next"` header (RFC 8288, as the spec's
   * tag listing pages) leads to the next page, on the same registry only, at most MAX_REFERRER_PAGES pages.
   */
  private async referrerPages(ref: ImageReference, res: Response, path: string): Promise<ImageIndex> {
    const manifests: Descriptor[] = [];
    for (let page = 1; ; page++) {
      const body = await collectBounded(res.body ? (Readable.fromWeb(res.body as WebReadableStream) as AsyncIterable<Buffer>) : (async function* () {})(), this.maxManifest, 'referrers index');
      const doc = parseManifestDoc(body, MT.ociIndex);
      if (doc.kind !== 'index') throw new ImageFormatError('referrers response is not an image index');
      appendAll(manifests, doc.doc.manifests);
      const next = nextLink(res.headers.get('link'), `${this.base(ref.registry)}${path}`);
      if (!next) return { schemaVersion: 2, mediaType: MT.ociIndex, manifests };
      if (page >= MAX_REFERRER_PAGES) throw new ImageLimitError(`referrers of more than ${MAX_REFERRER_PAGES} pages refused`, 'maxManifestBytes');
      path = next.pathname + next.search;
      res = await this.request(ref.registry, path, { method: 'GET', headers: { accept: MT.ociIndex }, scope: this.scope(ref) });
      if (!res.ok) return RegistryClient.fail(res, `referrers page ${page + 1}`);
    }
  }

  /** Streams a blob. The caller verifies the digest while consuming (see verifiedBytes). */
  async openBlob(ref: ImageReference, digest: string): Promise<AsyncIterable<Buffer>> {
    parseDigest(digest);
    const res = await this.request(ref.registry, `/v2/${ref.repository}/blobs/${digest}`, { method: 'GET', scope: this.scope(ref) });
    if (!res.ok || !res.body) return RegistryClient.fail(res, `blob ${digest}`);
    return Readable.fromWeb(res.body as WebReadableStream) as AsyncIterable<Buffer>;
  }

  async hasBlob(ref: ImageReference, digest: string): Promise<boolean> {
    const res = await this.request(ref.registry, `/v2/${ref.repository}/blobs/${digest}`, { method: 'HEAD', scope: this.scope(ref, true) });
    return res.ok;
  }

  /** Monolithic upload: POST to open a session, PUT the bytes with ?digest=. */
  async pushBlob(ref: ImageReference, data: Buffer, digest = digestOf(data)): Promise<string> {
    if (await this.hasBlob(ref, digest)) return digest;
    const scope = this.scope(ref, true);
    const start = await this.request(ref.registry, `/v2/${ref.repository}/blobs/uploads/`, { method: 'POST', scope });
    if (start.status !== 202) return RegistryClient.fail(start, `starting upload of ${digest}`);
    await start.body?.cancel();
    const loc = start.headers.get('location');
    if (!loc) throw new RegistryError('upload session without Location');
    const url = new URL(loc, `${this.base(ref.registry)}/`);
    url.searchParams.set('digest', digest);
    const put = await this.request(ref.registry, url.toString(), {
      method: 'PUT',
      scope,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: new Uint8Array(data) as unknown as BodyInit,
    });
    if (put.status !== 201) return RegistryClient.fail(put, `uploading ${digest}`);
    await put.body?.cancel();
    return digest;
  }

  async putManifest(ref: ImageReference, reference: string, body: Buffer, mediaType: string): Promise<string> {
    return (await this.pushManifest(ref, reference, body, mediaType)).digest;
  }

  /**
   * Pushes a manifest; `subject` is the registry's `OCI-Subject` answer — set when it indexed the manifest's
   * subject for the referrers API (distribution-spec v1.1 "Pushing Manifests with Subject"); without it a client
   * keeps the referrers fallback tag up to date itself.
   */
  async pushManifest(ref: ImageReference, reference: string, body: Buffer, mediaType: string): Promise<{ digest: string; subject?: string }> {
    const res = await this.request(ref.registry, `/v2/${ref.repository}/manifests/${reference}`, {
      method: 'PUT',
      scope: this.scope(ref, true),
      headers: { 'content-type': mediaType },
      body: new Uint8Array(body) as unknown as BodyInit,
    });
    if (res.status !== 201) return RegistryClient.fail(res, `pushing manifest ${reference}`);
    await res.body?.cancel();
    const subject = res.headers.get('oci-subject') ?? undefined;
    return { digest: digestOf(body), ...(subject && { subject }) };
  }
}
