/**
 * Tag → digest pinning on /mutate: with a resolver double (what is pinned, what is left and why) and end to
 * end against a real registry, where the pinned digest must be the digest the registry stored on push.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../../core/model.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { pushOciLayout } from '../../sources/images/registry/push.js';
import { parseReference } from '../../core/image-ref.js';
import { makeLayer, writeOciLayout } from '../../sources/images/test-support/build-image.js';
import { registryUnavailable, startRegistry } from '../../sources/images/test-support/registry.js';
import type { TestRegistry } from '../../sources/images/test-support/registry.js';
import { pinDigestsPatch } from './pin-digests.js';
import { buildPolicy } from './policy.js';
import { admissionReview, asReply, startTestWebhook } from '../../admission/test-support/harness.js';
import type { TestWebhook } from '../../admission/test-support/harness.js';
import { ruleCatalog } from '../../admission/test-support/catalog.js';
import { pod } from '../../admission/test-support/objects.js';

const D = 'sha256:' + 'd'.repeat(64);

describe('pinDigestsPatch', () => {
  test('pins each distinct tag once, in every container using it; failures and timeouts are left with a note', async () => {
    const calls: string[] = [];
    const resolve = (image: string) => {
      calls.push(image);
      if (image === 'gone:1') return Promise.reject(new Error('manifest unknown'));
      if (image === 'slow:1') return new Promise<string>(() => {});
      return Promise.resolve(D);
    };
    const obj = pod({
      initContainers: [{ name: 'i', image: 'nginx:1.27' }],
      containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'gone:1' }, { name: 'c', image: 'slow:1' }, { name: 'd', image: `pinned@${D}` }],
    });
    const { ops, notes } = await pinDigestsPatch(obj, resolve, Date.now() + 100);
    assert.deepEqual(calls.sort(), ['gone:1', 'nginx:1.27', 'slow:1']);
    assert.deepEqual(ops, [
      { op: 'replace', path: '/spec/initContainers/0/image', value: `nginx:1.27@${D}` },
      { op: 'replace', path: '/spec/containers/0/image', value: `nginx:1.27@${D}` },
    ]);
    assert.deepEqual(notes.sort(), ['image "gone:1" was not pinned: manifest unknown', 'image "slow:1" was not pinned: digest not resolved in time']);
  });

  test('pinDigests without a resolver is a configuration error', async () => {
    assert.throws(() => buildPolicy({ catalog: [], config: { admission: { mutate: { enabled: true, pinDigests: true } } } }), /digest resolver/);
    assert.ok(buildPolicy({ catalog: await ruleCatalog(), config: {}, providers: { resolveDigest: () => Promise.resolve(D) } }));
  });
});

describe('/mutate pins tags to the digests a real registry serves', { skip: registryUnavailable() }, () => {
  let reg: TestRegistry;
  let hook: TestWebhook;
  let dir: string;
  let digest: string;
  before(async () => {
    reg = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'kg-adm-pin-'));
    writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'app', content: 'v1' }])] }]);
    digest = await pushOciLayout(new RegistryClient(), dir, parseReference(`${reg.host}/kg/app:v1`));
    hook = await startTestWebhook({ admission: { mutate: { enabled: true, pinDigests: true, seccompRuntimeDefault: false, dropAllCapabilities: false, disallowPrivilegeEscalation: false } } });
  });
  after(async () => {
    await hook?.close();
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the patched pod names exactly the pushed digest', async () => {
    const object: KubeObject = pod({ containers: [{ name: 'app', image: `${reg.host}/kg/app:v1` }, { name: 'gone', image: `${reg.host}/kg/nothing:v1` }] });
    const reply = asReply(await hook.post('/mutate', admissionReview(object)));
    assert.equal(reply.response.allowed, true);
    const ops = JSON.parse(Buffer.from(reply.response.patch!, 'base64').toString('utf8')) as Operation[];
    const patched = jsonpatch.applyPatch(structuredClone(object), ops, true, false).newDocument as { spec: { containers: { image: string }[] } };
    assert.equal(patched.spec.containers[0].image, `${reg.host}/kg/app:v1@${digest}`);
    assert.equal(patched.spec.containers[1].image, `${reg.host}/kg/nothing:v1`);
    assert.ok(reply.response.warnings?.some((w) => w.includes('kg/nothing:v1" was not pinned')));
  });
});
