/**
 * Registry credentials from Docker's client config (`$DOCKER_CONFIG/config.json`, default
 * `~/.docker/config.json`): `auths` entries (base64 `user:password`), per-registry `credHelpers` and the
 * default `credsStore`, run as `docker-credential-<name> get` with the server URL on stdin
 * (docker-credential-helpers protocol).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseJson } from '../../../core/json-error.js';

export interface Credentials {
  username: string;
  password: string;
}

export type CredentialProvider = (registry: string) => Promise<Credentials | undefined>;

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

function keysFor(registry: string): string[] {
  if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

export function runCredentialHelper(helper: string, server: string, timeoutMs = 10_000): Promise<Credentials | undefined> {
  return new Promise((resolve) => {
    const child = spawn(`docker-credential-${helper}`, ['get'], { stdio: ['pipe', 'pipe', 'ignore'], timeout: timeoutMs });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      if (out.length < 1024 * 1024) out += d.toString('utf8');
    });
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      if (code !== 0) return resolve(undefined);
      try {
        const v = parseJson(out) as { Username?: string; Secret?: string };
        resolve(v.Secret ? { username: v.Username ?? '', password: v.Secret } : undefined);
      } catch {
        resolve(undefined);
      }
    });
    child.stdin.end(server);
  });
}

export function dockerConfigProvider(configDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')): CredentialProvider {
  let cfg: Promise<DockerConfig | undefined> | undefined;
  return async (registry) => {
    cfg ??= readFile(join(configDir, 'config.json'), 'utf8').then(
      (t) => parseJson(t) as DockerConfig,
      () => undefined,
    );
    const c = await cfg;
    if (!c) return undefined;
    const keys = keysFor(registry);
    const helper = keys.map((k) => c.credHelpers?.[k]).find(Boolean);
    if (helper) return runCredentialHelper(helper, keys[0]);
    for (const k of keys) {
      const a = c.auths?.[k];
      if (!a) continue;
      if (a.auth) {
        const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
      }
      if (a.username && a.password) return { username: a.username, password: a.password };
    }
    if (c.credsStore) return runCredentialHelper(c.credsStore, keys[0]);
    return undefined;
  };
}
