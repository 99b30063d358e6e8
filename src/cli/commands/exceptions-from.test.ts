/**
 * `image scan --exceptions-from URL`: the server's approved exceptions apply without uploading; each good answer
 * is cached, a server that cannot be reached leaves the cached set (under 24 hours old) in force with a warning,
 * and without one the scan stops (exit 3) rather than judging differently from the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../sources/store/open.js';
import { openStore } from '../../sources/store/open.js';
import { makeLayer, writeOciLayout } from '../../sources/images/test-support/build-image.js';
import type { TestServer } from '../../server/test-support/server.js';
import { request, startTestServer } from '../../server/test-support/server.js';
import { kubeguardAsync } from '../test-support/run-cli.js';

let dir: string;
let store: Store;
let server: TestServer;
let layout: string;

interface Report {
  findings: { ruleId: string }[];
  suppressed: { ruleId: string; reason: string }[];
}

describe('image scan --exceptions-from', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-exceptions-from-'));
    store = await openStore(join(dir, 'server.db'));
    server = await startTestServer(store);
    layout = join(dir, 'image');
    writeOciLayout(layout, [{ layers: [await makeLayer([{ path: 'usr/bin/gcc', content: 'not really gcc' }])] }]);
  });
  after(async () => {
    await server.close().catch(() => {});
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies approved exceptions, then the cached set while the server is away, and stops without one', async () => {
    const env = { XDG_CACHE_HOME: join(dir, 'cache'), KUBEGUARD_TOKEN: server.tokens.uploader };
    const scan = (cacheHome = env.XDG_CACHE_HOME) => kubeguardAsync(['image', 'scan', layout, '--no-vulns', '-o', 'json', '--exceptions-from', server.url, '--cluster-name', 'registry'], { ...env, XDG_CACHE_HOME: cacheHome });

    const before = await scan();
    const rule = (JSON.parse(before.stdout) as Report).findings[0]?.ruleId;
    assert.ok(rule, before.stderr);
    const requested = await request(`${server.url}/api/v1/exceptions`, { method: 'POST', token: server.tokens.viewer, body: { rules: [rule], clusters: ['registry'], reason: 'a build image' } });
    assert.equal((await request(`${server.url}/api/v1/exceptions/${requested.body.id}/approve`, { method: 'POST', token: server.tokens.approver, body: {} })).status, 200);

    const excepted = await scan();
    assert.match(excepted.stderr, /1 approved exception\(s\) from the server apply to registry/);
    const report = JSON.parse(excepted.stdout) as Report;
    assert.ok(!report.findings.some((f) => f.ruleId === rule));
    assert.ok(report.suppressed.some((s) => s.ruleId === rule && s.reason === 'a build image'));

    await server.close();
    const away = await scan();
    assert.match(away.stderr, /the server cannot be reached \(.*\); applying the 1 exception\(s\) for registry fetched at \d{4}-/);
    assert.ok((JSON.parse(away.stdout) as Report).suppressed.some((s) => s.ruleId === rule), 'the cached set still applies');
    assert.ok(!away.stderr.includes(server.tokens.uploader));

    const noCache = await scan(join(dir, 'empty-cache'));
    assert.equal(noCache.code, 3, noCache.stderr);
    assert.match(noCache.stderr, /could not read the server's exceptions for registry/);
    assert.equal(noCache.stdout, '', 'no report that would judge differently from the server');
  });
});
