/**
 * The OCI distribution-spec v1.1 referrers API in front of a real registry that lacks it. No registry installable
 * here has the API (Debian ships docker-registry 2.8; distribution added it in v3.0, zot is not packaged, and the
 * machines reach only the npm registry and Debian), so the tests put this front before the real registry:
 * - every request is passed through to the registry (Host kept, so upload Locations point back here);
 * - a manifest PUT with a `subject` is indexed once the registry stored it (201) and answered with
 *   `OCI-Subject: <subject digest>` ("Pushing Manifests with Subject"); a manifest DELETE by digest drops it;
 * - `GET /v2/<name>/referrers/<digest>` answers an image index (`application/vnd.oci.image.index.v1+json`) of the
 *   descriptors of the manifests whose subject is that digest — mediaType, digest, size, artifactType (the
 *   manifest's `artifactType`, else its config's mediaType) and the manifest's annotations; 200 with an empty list
 *   when there are none (the spec forbids 404 there), 400 for a malformed digest; `?artifactType=` filters and
 *   says so in `OCI-Filters-Applied: artifactType`; answers of more than `pageSize` descriptors are paged with a
 *   `Link: <…>; rel="next"` header ("Listing Referrers").
 */
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ReferrersFront {
  /** host:port of the front (use it as the registry). */
  host: string;
  /** Referrers API requests seen (path and query), to prove the API was asked. */
  referrersRequests: string[];
  stop(): Promise<void>;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const INDEX = 'application/vnd.oci.image.index.v1+json';

function collect(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startReferrersFront(upstream: string, opts: { pageSize?: number } = {}): Promise<ReferrersFront> {
  const [upHost, upPort] = upstream.split(':');
  const pageSize = opts.pageSize ?? 10;
  /** repository → subject digest → referrer descriptors (in push order). */
  const index = new Map<string, Map<string, Descriptor[]>>();
  const referrersRequests: string[] = [];

  function referrers(res: ServerResponse, name: string, digest: string, query: URLSearchParams): void {
    if (!DIGEST.test(digest)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'DIGEST_INVALID', message: 'invalid digest' }] }));
      return;
    }
    const type = query.get('artifactType');
    const all = (index.get(name)?.get(digest) ?? []).filter((d) => type === null || d.artifactType === type);
    const start = Number(query.get('page') ?? '0') * pageSize;
    const headers: Record<string, string> = { 'content-type': INDEX };
    if (type !== null) headers['oci-filters-applied'] = 'artifactType';
    if (start + pageSize < all.length) {
      const next = new URLSearchParams(query);
      next.set('page', String(start / pageSize + 1));
      headers.link = `</v2/${name}/referrers/${digest}?${next.toString()}>; rel="next"`;
    }
    res.writeHead(200, headers).end(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: all.slice(start, start + pageSize) }));
  }

  function record(name: string, body: Buffer, mediaType: string): string | undefined {
    let m: { mediaType?: string; artifactType?: string; config?: { mediaType?: string }; subject?: { digest?: string }; annotations?: Record<string, string> };
    try {
      m = JSON.parse(body.toString('utf8')) as typeof m;
    } catch {
      return undefined;
    }
    const subject = m.subject?.digest;
    if (typeof subject !== 'string') return undefined;
    const d: Descriptor = { mediaType: m.mediaType ?? mediaType, digest: `sha256:${createHash('sha256').update(body).digest('hex')}`, size: body.length };
    const artifactType = m.artifactType ?? m.config?.mediaType;
    if (artifactType) d.artifactType = artifactType;
    if (m.annotations) d.annotations = m.annotations;
    const bySubject = index.get(name) ?? new Map<string, Descriptor[]>();
    index.set(name, bySubject);
    const list = (bySubject.get(subject) ?? []).filter((x) => x.digest !== d.digest);
    bySubject.set(subject, [...list, d]);
    return subject;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://front');
      const refs = /^\/v2\/(.+)\/referrers\/([^/]+)$/.exec(url.pathname);
      if (refs && req.method === 'GET') {
        referrersRequests.push(url.pathname + url.search);
        referrers(res, refs[1], refs[2], url.searchParams);
        return;
      }
      const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      const body = await collect(req);
      const headers = { ...req.headers };
      delete headers.connection;
      const up = request({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers }, (upRes) => {
        const out = { ...upRes.headers };
        if (manifest && req.method === 'PUT' && upRes.statusCode === 201) {
          const subject = record(manifest[1], body, String(req.headers['content-type'] ?? ''));
          if (subject) out['oci-subject'] = subject;
        }
        if (manifest && req.method === 'DELETE' && upRes.statusCode === 202) {
          for (const list of index.get(manifest[1])?.values() ?? []) {
            const i = list.findIndex((d) => d.digest === manifest[2]);
            if (i >= 0) list.splice(i, 1);
          }
        }
        res.writeHead(upRes.statusCode ?? 502, out);
        upRes.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    referrersRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
