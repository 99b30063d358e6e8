/**
 * Through a real registry (Debian's docker-registry, CNCF distribution 2.8): push with our own client and
 * check with skopeo, push a multi-platform index with skopeo, pull and analyse, token auth, digest checks,
 * cosign signatures (Debian's skopeo is built with sigstore signing disabled, so signatures are made by the
 * test per cosign's SIGNATURE_SPEC). Skipped only when the registry cannot be installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeImage } from '../../../usecases/images/analyze.js';
import { loadPublicKey } from '../../../analysis/images/cosign/verify-payload.js';
import { ImageFormatError, ImageLimitError } from '../../../analysis/images/errors.js';
import { MemorySignatureCache, verifyImageSignature } from '../cosign.js';
import { parseReference } from '../../../core/image-ref.js';
import { RegistryClient, RegistryError } from './client.js';
import { pushOciLayout } from './push.js';
import { makeLayer, writeOciLayout } from '../test-support/build-image.js';
import { generateKeys, pushCosignSignature, signPayload, simpleSigningPayload } from '../test-support/cosign-sign.js';
import { registryUnavailable, startRegistry } from '../test-support/registry.js';
import { dpkgExcerpt, dpkgQuery } from '../test-support/real-fixtures.js';
import type { TestRegistry } from '../test-support/registry.js';

const skip = registryUnavailable();
const now = new Date('2026-06-01T00:00:00Z');
const OS_RELEASE = readFileSync('/etc/os-release');
const execFileAsync = promisify(execFile);
const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kg-reg-'));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Async on purpose: the token server lives in this process and must keep answering while skopeo runs. */
async function skopeoInspect(ref: string, extra: string[] = [], raw = false): Promise<Record<string, unknown>> {
  const { stdout } = await execFileAsync('skopeo', ['inspect', '--tls-verify=false', ...(raw ? ['--raw'] : []), ...extra, `docker://${ref}`], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function debianLayout(archs: string[] = ['amd64']): Promise<{ dir: string; names: string[] }> {
  const dpkg = dpkgExcerpt(8);
  const dir = tmp();
  const images = [];
  for (const arch of archs) {
    const status = dpkg.status.replace(/^Architecture: .*$/gm, `Architecture: ${arch}`);
    images.push({
      layers: [await makeLayer([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'var/lib/dpkg/status', content: status }]), await makeLayer([{ path: `etc/arch-${arch}`, content: arch }], 'zstd')],
      platform: { os: 'linux', architecture: arch },
      config: { config: { User: '65532', ExposedPorts: { '8080/tcp': {} } } },
      tag: 'v1',
    });
  }
  writeOciLayout(dir, images, { asIndex: archs.length > 1, indexTag: 'v1' });
  return { dir, names: dpkg.names };
}

describe('registry (real docker-registry)', { skip }, () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(async () => {
    await reg?.stop();
  });

  test('our push is what skopeo sees; pulling through the registry analyses the image', async () => {
    const { dir, names } = await debianLayout();
    const client = new RegistryClient();
    const ref = parseReference(`${reg.host}/kg/debian:v1`);
    const digest = await pushOciLayout(client, dir, ref);
    const inspected = await skopeoInspect(`${reg.host}/kg/debian:v1`);
    assert.equal(inspected.Digest, digest);
    assert.equal((inspected.Layers as string[]).length, 2);
    const a = await analyzeImage(`${reg.host}/kg/debian:v1`, { now });
    assert.equal(a.image.kind, 'registry');
    assert.equal(a.image.manifestDigest, digest);
    assert.deepEqual(a.packages.map((p) => p.name).sort(), dpkgQuery(names).map((e) => e.name).sort());
    assert.ok(a.hygiene.findings.some((f) => f.ruleId === 'image-exposed-ports' && f.path === '/config/ExposedPorts/8080~1tcp'));
    // By digest too.
    const b = await analyzeImage(`${reg.host}/kg/debian@${digest}`, { now });
    assert.equal(b.packages.length, a.packages.length);
  });

  test('a multi-arch index pushed by skopeo from an OCI layout: --platform selects the manifest', async () => {
    const { dir } = await debianLayout(['amd64', 'arm64']);
    execFileSync('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${dir}:v1`, `docker://${reg.host}/kg/multi:v1`], { stdio: 'ignore' });
    const raw = (await skopeoInspect(`${reg.host}/kg/multi:v1`, [], true)) as { manifests: { platform: { architecture: string } }[] };
    assert.deepEqual(raw.manifests.map((m) => m.platform.architecture).sort(), ['amd64', 'arm64']);
    const arm = await analyzeImage(`${reg.host}/kg/multi:v1`, { now, platform: { os: 'linux', architecture: 'arm64' } });
    assert.equal(arm.image.platform?.architecture, 'arm64');
    assert.ok(arm.packages.length > 0 && arm.packages.every((p) => p.arch === 'arm64' && p.purl.includes('arch=arm64')));
    assert.ok(arm.image.indexDigest);
    const amd = await analyzeImage(`${reg.host}/kg/multi:v1`, { now });
    assert.ok(amd.packages.every((p) => p.arch === 'amd64'));
    await assert.rejects(analyzeImage(`${reg.host}/kg/multi:v1`, { now, platform: { os: 'linux', architecture: 's390x' } }), /no manifest for platform linux\/s390x.*amd64/);
  });

  test('a blob altered in the registry storage fails digest verification', async () => {
    const dir = tmp();
    const layer = await makeLayer([{ path: 'etc/os-release', content: OS_RELEASE }], 'none');
    writeOciLayout(dir, [{ layers: [layer] }]);
    const client = new RegistryClient();
    await pushOciLayout(client, dir, parseReference(`${reg.host}/kg/tampered:v1`));
    const hex = execFileSync('sha256sum', { input: layer.blob }).toString().split(' ')[0];
    const stored = join(reg.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    const bytes = readFileSync(stored);
    bytes[600] ^= 0xff; // inside the file content, so the tar still parses
    writeFileSync(stored, bytes);
    await assert.rejects(analyzeImage(`${reg.host}/kg/tampered:v1`, { now }), (e: unknown) => e instanceof ImageFormatError && /digest mismatch/.test(e.message));
  });

  test('a manifest larger than the bound is refused', async () => {
    const dir = tmp();
    writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'a', content: 'a' }])] }]);
    const client = new RegistryClient();
    const ref = parseReference(`${reg.host}/kg/huge:v1`);
    await pushOciLayout(client, dir, ref);
    // Re-push the same manifest with 200 kB of annotations.
    const m = JSON.parse((await client.getManifest(ref)).body.toString()) as Record<string, unknown>;
    m.annotations = { padding: 'x'.repeat(200_000) };
    await client.putManifest(ref, 'huge', Buffer.from(JSON.stringify(m)), 'application/vnd.oci.image.manifest.v1+json');
    await assert.rejects(
      analyzeImage(`${reg.host}/kg/huge:huge`, { now, limits: { maxManifestBytes: 64 * 1024 } }),
      (e: unknown) => e instanceof ImageLimitError && e.limit === 'maxManifestBytes',
    );
  });

  test('cosign signatures: ECDSA P-256, Ed25519 and RSA keys; wrong key, wrong digest, unsigned; cache by digest', async () => {
    const dir = tmp();
    writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'hello', content: 'hi' }])] }]);
    const client = new RegistryClient();
    const ref = parseReference(`${reg.host}/kg/signed:v1`);
    const digest = await pushOciLayout(client, dir, ref);
    const keys = { ecdsa: generateKeys('ecdsa'), ed25519: generateKeys('ed25519'), rsa: generateKeys('rsa') };
    const payload = simpleSigningPayload(`${reg.host}/kg/signed`, digest);
    const forOther = simpleSigningPayload(`${reg.host}/kg/signed`, `sha256:${'0'.repeat(64)}`);
    await pushCosignSignature(client, ref, digest, [
      { payload, signature: signPayload(payload, keys.ecdsa.privateKey) },
      { payload, signature: signPayload(payload, keys.ed25519.privateKey) },
      { payload, signature: signPayload(payload, keys.rsa.privateKey) },
    ]);
    for (const k of Object.values(keys)) {
      const r = await verifyImageSignature(`${reg.host}/kg/signed:v1`, [loadPublicKey(k.publicPem)], undefined, { client });
      assert.equal(r.verified, true, r.reasons.join('; '));
      assert.equal(r.digest, digest);
    }
    const stranger = generateKeys('ecdsa');
    const bad = await verifyImageSignature(`${reg.host}/kg/signed:v1`, [loadPublicKey(stranger.publicPem)], undefined, { client });
    assert.equal(bad.verified, false);
    assert.match(bad.reasons.join(), /signature verification failed/);

    // A valid signature whose payload names another digest does not count.
    const ref2 = parseReference(`${reg.host}/kg/replayed:v1`);
    const digest2 = await pushOciLayout(client, dir, ref2);
    await pushCosignSignature(client, ref2, digest2, [{ payload: forOther, signature: signPayload(forOther, keys.ecdsa.privateKey) }]);
    const replay = await verifyImageSignature(`${reg.host}/kg/replayed:v1`, [loadPublicKey(keys.ecdsa.publicPem)], undefined, { client });
    assert.equal(replay.verified, false);
    assert.match(replay.reasons.join(), /bound to sha256:0000/);

    const unsignedDir = tmp();
    writeOciLayout(unsignedDir, [{ layers: [await makeLayer([{ path: 'other', content: 'x' }])] }]);
    await pushOciLayout(client, unsignedDir, parseReference(`${reg.host}/kg/unsigned:v1`));
    const unsigned = await verifyImageSignature(`${reg.host}/kg/unsigned:v1`, [loadPublicKey(keys.ecdsa.publicPem)], undefined, { client });
    assert.equal(unsigned.verified, false);
    assert.match(unsigned.reasons.join(), /no signature/);

    const cache = new MemorySignatureCache();
    const first = await verifyImageSignature(`${reg.host}/kg/signed@${digest}`, [loadPublicKey(keys.rsa.publicPem)], cache, { client });
    const second = await verifyImageSignature(`${reg.host}/kg/signed@${digest}`, [loadPublicKey(keys.rsa.publicPem)], cache, { client });
    assert.equal(first.cached, undefined);
    assert.equal(second.cached, true);
    assert.equal(second.verified, true);
  });
});

describe('registry with token authentication', { skip }, () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry({ tokenAuth: { users: { alice: 's3cret' } } });
  });
  after(async () => {
    await reg?.stop();
  });

  test('bearer challenge → token with basic credentials → push and pull; anonymous is refused', async () => {
    const { dir, names } = await debianLayout();
    const creds = async (): Promise<{ username: string; password: string }> => ({ username: 'alice', password: 's3cret' });
    const client = new RegistryClient({ credentials: creds });
    const digest = await pushOciLayout(client, dir, parseReference(`${reg.host}/team/app:v1`));
    assert.ok(reg.tokenRequests.some((r) => r.user === 'alice' && r.scope === 'repository:team/app:pull,push'));
    const viaSkopeo = await skopeoInspect(`${reg.host}/team/app:v1`, ['--creds', 'alice:s3cret']);
    assert.equal(viaSkopeo.Digest, digest);
    const a = await analyzeImage(`${reg.host}/team/app:v1`, { now, client });
    assert.equal(a.packages.length, names.length);
    await assert.rejects(analyzeImage(`${reg.host}/team/app:v1`, { now, client: new RegistryClient() }), (e: unknown) => e instanceof RegistryError && e.status === 401);
  });

  test('credentials come from a docker config.json (auths) when present', async () => {
    const { dockerConfigProvider } = await import('./credentials.js');
    const cfgDir = tmp();
    writeFileSync(join(cfgDir, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    const { dir } = await debianLayout();
    const client = new RegistryClient({ credentials: dockerConfigProvider(cfgDir) });
    const digest = await pushOciLayout(client, dir, parseReference(`${reg.host}/team/cfg:v1`));
    assert.equal((await skopeoInspect(`${reg.host}/team/cfg:v1`, ['--creds', 'alice:s3cret'])).Digest, digest);
  });

  test('credentials come from a credential helper named in credHelpers (docker-credential-helpers protocol)', async () => {
    const { dockerConfigProvider } = await import('./credentials.js');
    const bin = tmp();
    // The helper reads the server URL on stdin for `get` and answers {ServerURL, Username, Secret}.
    writeFileSync(join(bin, 'docker-credential-kgtest'), `#!/bin/sh\n[ "$1" = get ] || exit 1\nread server\n[ "$server" = "${reg.host}" ] || exit 1\necho '{"ServerURL":"'$server'","Username":"alice","Secret":"s3cret"}'\n`, { mode: 0o755 });
    const cfgDir = tmp();
    writeFileSync(join(cfgDir, 'config.json'), JSON.stringify({ credHelpers: { [reg.host]: 'kgtest' } }));
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    try {
      const { dir } = await debianLayout();
      const client = new RegistryClient({ credentials: dockerConfigProvider(cfgDir) });
      const digest = await pushOciLayout(client, dir, parseReference(`${reg.host}/team/helper:v1`));
      assert.equal((await skopeoInspect(`${reg.host}/team/helper:v1`, ['--creds', 'alice:s3cret'])).Digest, digest);
    } finally {
      process.env.PATH = oldPath;
    }
  });
});
