/** Test harness: a PKI, the fake API server with the sample cluster, and kubeconfig files pointing at it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../core/model.js';
import { createTestCa } from './certs.js';
import type { KeyPairPem, TestCa } from './certs.js';
import type { FakeApiServer, FakeApiServerOptions } from './api-server.js';
import { startFakeApiServer } from './api-server.js';

export interface Pki {
  ca: TestCa;
  server: KeyPairPem;
  admin: KeyPairPem;
}

let pki: Pki | undefined;

/** One PKI per test process (RSA key generation is the slow part). */
export function testPki(): Pki {
  pki ??= (() => {
    const ca = createTestCa();
    return {
      ca,
      server: ca.issue({ CN: 'kube-apiserver' }, { server: true, dns: ['localhost', 'kubernetes'], ips: ['127.0.0.1'] }),
      admin: ca.issue({ CN: 'kubernetes-admin', O: ['kubeadm:cluster-admins'] }),
    };
  })();
  return pki;
}

export function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

export async function startServer(objects: KubeObject[], options: Partial<FakeApiServerOptions> = {}): Promise<FakeApiServer> {
  const { ca, server } = testPki();
  return startFakeApiServer({ tls: { cert: server.cert, key: server.key, clientCa: ca.cert }, objects, ...options });
}

export interface KubeconfigUser {
  name: string;
  user: Record<string, unknown>;
}

/** Writes a kubeconfig with one context per user (context name = user name), all on the given server. */
export function writeKubeconfig(url: string, users: KubeconfigUser[], opts: { current?: string; caData?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-kc-'));
  const file = join(dir, 'config');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority-data': opts.caData ?? b64(testPki().ca.cert) } }],
    users: users.map((u) => ({ name: u.name, user: u.user })),
    contexts: users.map((u) => ({ name: u.name, context: { cluster: 'test', user: u.name } })),
    'current-context': opts.current ?? users[0].name,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export function adminUser(): KubeconfigUser {
  const { admin } = testPki();
  return { name: 'admin', user: { 'client-certificate-data': b64(admin.cert), 'client-key-data': b64(admin.key) } };
}

export function tokenUser(name: string, token: string): KubeconfigUser {
  return { name, user: { token } };
}
