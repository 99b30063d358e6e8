/**
 * Starts a real registry (Debian's docker-registry = CNCF distribution) on a loopback port for a test,
 * optionally with token authentication served by a small token server in the test process
 * (distribution docs/spec/auth/token.md: ES256 JWTs with an x5c chain checked against `rootcertbundle`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRegistry {
  /** host:port */
  host: string;
  /** The registry's storage root (tests tamper with blobs there). */
  dataDir: string;
  stop(): Promise<void>;
  /** Token requests seen (token auth only). */
  tokenRequests: { scope: string | null; user?: string }[];
}

let installChecked: string | undefined | null = null;

/** Undefined when the registry is available; otherwise the reason to skip. */
export function registryUnavailable(): string | undefined {
  if (installChecked !== null) return installChecked;
  const has = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  if (!has('docker-registry') || !has('skopeo')) {
    const script = new URL('../../../../scripts/test-registry/start.sh', import.meta.url).pathname;
    spawnSync('bash', [script, '--install-only'], { stdio: 'ignore', timeout: 300_000 });
  }
  installChecked = has('docker-registry') && has('skopeo') ? undefined : 'docker-registry/skopeo could not be installed (apt-get install docker-registry skopeo failed): registry tests skipped';
  return installChecked;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString('base64url');
}

async function startTokenServer(dir: string, users: Record<string, string>, requests: TestRegistry['tokenRequests']): Promise<{ server: Server; port: number; certFile: string }> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=kubeguard-test-token', '-days', '2', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  const key = createPrivateKey(readFileSync(keyFile));
  const der = Buffer.from(readFileSync(certFile, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    let user: string | undefined;
    if (auth?.startsWith('Basic ')) {
      const [u, p] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
      if (users[u] !== p) {
        res.writeHead(401).end();
        return;
      }
      user = u;
    }
    const scope = url.searchParams.get('scope');
    requests.push({ scope, user });
    const access = [];
    if (scope && user) {
      const [type, name, actions] = scope.split(':');
      access.push({ type, name, actions: actions.split(',') });
    }
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [der.toString('base64')] };
    const claims = { iss: 'kubeguard-test-issuer', sub: user ?? '', aud: 'kubeguard-test-registry', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${input}.${b64url(sig)}` }));
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, port, certFile };
}

export async function startRegistry(opts: { tokenAuth?: { users: Record<string, string> } } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-registry-'));
  const port = await freePort();
  const tokenRequests: TestRegistry['tokenRequests'] = [];
  let tokenServer: Server | undefined;
  let authYaml = '';
  if (opts.tokenAuth) {
    const t = await startTokenServer(dir, opts.tokenAuth.users, tokenRequests);
    tokenServer = t.server;
    authYaml = `auth:\n  token:\n    realm: http://127.0.0.1:${t.port}/token\n    service: kubeguard-test-registry\n    issuer: kubeguard-test-issuer\n    rootcertbundle: ${t.certFile}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 100_000) stderr += d.toString();
  });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://${host}/v2/`);
      if (r.status === 200 || r.status === 401) break;
    } catch {
      /* not up yet */
    }
    if (i > 100 || child.exitCode !== null) throw new Error(`registry did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    dataDir: join(dir, 'data'),
    tokenRequests,
    async stop() {
      child.kill('SIGTERM');
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      if (tokenServer) await new Promise<void>((r) => tokenServer!.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
