/** The serving certificate is reloaded when its files change (as a Secret volume update does), and a bad pair is refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { newCertificates, startTestWebhook } from '../test-support/harness.js';

function handshake(port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      resolve(s.authorized);
      s.end();
    });
    s.on('error', () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what} did not happen within 10 s`);
}

test('new certificate files are picked up without a restart; an invalid pair keeps the current one', async () => {
  const hook = await startTestWebhook();
  try {
    assert.equal(await handshake(hook.port, hook.certs.ca.cert), true);
    const next = await newCertificates();
    // Kubernetes swaps a "..data" symlink; writing the files in place is the simpler case, watched the same way.
    writeFileSync(join(hook.dir, 'tls.key'), next.server.key);
    writeFileSync(join(hook.dir, 'tls.crt'), next.server.cert);
    await eventually(() => handshake(hook.port, next.ca.cert), 'reload after the files changed');
    assert.equal(await handshake(hook.port, hook.certs.ca.cert), false, 'the old CA no longer authenticates the server');
    assert.ok(hook.logs.some((l) => l.msg === 'serving certificate reloaded'));

    writeFileSync(join(hook.dir, 'tls.crt'), 'not a certificate');
    assert.equal(hook.webhook.reloadCertificates(), false);
    assert.equal(await handshake(hook.port, next.ca.cert), true, 'still serving the last good pair');
    assert.ok(hook.logs.some((l) => l.msg === 'new serving certificate is invalid; keeping the current one'));
  } finally {
    await hook.close();
  }
});

test('a Secret-volume style symlink swap is picked up', async () => {
  const first = await newCertificates();
  const hook = await startTestWebhook();
  const dir = join(hook.dir, 'vol');
  try {
    // Lay out ..data → ..v1 with tls.crt/tls.key symlinks, as the kubelet does, then swap ..data to ..v2.
    mkdirSync(join(dir, '..v1'), { recursive: true });
    writeFileSync(join(dir, '..v1', 'tls.crt'), first.server.cert);
    writeFileSync(join(dir, '..v1', 'tls.key'), first.server.key);
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync('..data/tls.crt', join(dir, 'tls.crt'));
    symlinkSync('..data/tls.key', join(dir, 'tls.key'));
    const { createWebhook } = await import('../serve.js');
    const { createLogger } = await import('./log.js');
    const { ruleCatalog } = await import('../test-support/catalog.js');
    const webhook = createWebhook({ config: {}, catalog: await ruleCatalog(), tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') }, host: '127.0.0.1', port: 0, logger: createLogger({ write: () => {} }) });
    const { port } = await webhook.listen();
    try {
      assert.equal(await handshake(port, first.ca.cert), true);
      const second = await newCertificates();
      mkdirSync(join(dir, '..v2'));
      writeFileSync(join(dir, '..v2', 'tls.crt'), second.server.cert);
      writeFileSync(join(dir, '..v2', 'tls.key'), second.server.key);
      symlinkSync('..v2', join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
      rmSync(join(dir, '..v1'), { recursive: true });
      await eventually(() => handshake(port, second.ca.cert), 'reload after the symlink swap');
    } finally {
      await webhook.shutdown();
    }
  } finally {
    await hook.close();
  }
});
