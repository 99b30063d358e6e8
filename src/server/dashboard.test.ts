/**
 * The dashboard's files as `kubeguard serve` answers them: the page for every address outside the API (shareable
 * links), content-hashed assets cached for a year and the page never, compressed when asked, a strict CSP and the
 * other security headers; a request can reach only the files loaded at start (no traversal, no listing, no
 * symbolic link followed); the API's unknown paths stay JSON 404s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../core/errors.js';
import { openStore } from '../sources/store/open.js';
import type { Store } from '../sources/store/open.js';
import { buildApp } from './app.js';
import { CONTENT_SECURITY_POLICY, loadDashboard } from './dashboard.js';

/** A raw GET: the path is sent as written (fetch would normalise `..` away). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard files', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let port: number;
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-dash-'));
    const site = join(dir, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>kubeguard</title><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(site, 'assets', 'index-abc123.js'), script);
    writeFileSync(join(site, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(site, 'assets', 'notes.unknown'), 'not served: unknown type');
    writeFileSync(join(dir, 'secret.txt'), 'outside the site');
    symlinkSync(join(dir, 'secret.txt'), join(site, 'assets', 'link.txt'));
    store = await openStore(join(dir, 'server.db'));
    app = await buildApp({ store, dashboard: loadDashboard(site) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the page for the root and for the dashboard’s own addresses, never cached, with a strict CSP', async () => {
    for (const path of ['/', '/findings?severity=critical&q=a%20b', '/workloads/prod/shop/Deployment/web.v2', '/exceptions/12', '/index.html']) {
      const r = await get(port, path, { accept: 'text/html' });
      assert.equal(r.status, 200, path);
      assert.match(r.body.toString(), /<title>kubeguard<\/title>/);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
      assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
      assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal(r.headers['referrer-policy'], 'no-referrer');
    }
  });

  it('serves content-hashed assets for a year, compressed when asked, and revalidates by ETag', async () => {
    const plain = await get(port, '/assets/index-abc123.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.body.toString(), script);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    const gz = await get(port, '/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), script);
    assert.ok(gz.body.length < script.length / 10);
    const br = await get(port, '/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(br.body).toString(), script);
    const again = await get(port, '/assets/index-abc123.js', { 'if-none-match': String(plain.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  it('reaches no file it did not load: missing assets, traversal, symbolic links, unknown types, listings are 404', async () => {
    for (const path of ['/assets/index-old999.js', '/assets/', '/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.txt', '/assets/notes.unknown', '/%2e%2e/secret.txt']) {
      const r = await get(port, path);
      assert.ok(!r.body.toString().includes('outside the site'), path);
      if (path.startsWith('/assets')) assert.equal(r.status, 404, path);
      else assert.match(r.body.toString(), /<title>kubeguard/, path);
    }
    assert.equal((await get(port, '/%E0%A4%A')).status, 400);
  });

  it('leaves the API its own answers: unknown API paths are JSON 404s, the API still needs a token', async () => {
    const r = await get(port, '/api/v1/nothing-here', { accept: 'text/html' });
    assert.equal(r.status, 404);
    assert.equal((JSON.parse(r.body.toString()) as { error: string }).error, 'not-found');
    assert.equal((await get(port, '/api/v1/findings')).status, 401);
    assert.equal((await get(port, '/healthz')).status, 200);
    const doc = JSON.parse((await get(port, '/openapi.json')).body.toString()) as { paths: Record<string, unknown> };
    assert.ok(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/')), 'the page routes are not in the API document');
  });

  it('refuses a directory without index.html, and says how to build one', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    assert.throws(() => loadDashboard(empty), (e: Error) => e instanceof ConfigError && /npm run build/.test(e.message));
    assert.throws(() => loadDashboard(join(dir, 'missing')), ConfigError);
  });
});

describe('serve without a dashboard', () => {
  it('serves the API and says at / how to get the dashboard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-dash-'));
    const store = await openStore(join(dir, 'server.db'));
    const app = await buildApp({ store });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const r = await get((app.server.address() as AddressInfo).port, '/');
      assert.equal(r.status, 404);
      assert.match(r.body.toString(), /npm run build.*--dashboard DIR/);
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
