/**
 * A real PostgreSQL for tests: initdb in a temporary directory, started with pg_ctl on a free loopback port (its
 * unix socket in the same directory), stopped after. initdb and postgres refuse to run as root, so as root they
 * run as the `postgres` user (scripts/setup.d/postgres.sh installs the server and makes sure that user exists).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** postgres://… of the cluster's `postgres` database. */
  readonly adminUrl: string;
  readonly port: number;
  /** A new, empty database; its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server as a crash would (immediate mode: no checkpoint; recovery on the next start). */
  crash(): void;
  start(): void;
  /** Stops the server and removes its data. */
  destroy(): void;
}

/** The bin directory of the newest installed PostgreSQL, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return which.status === 0 && path ? join(path, '..') : undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (run scripts/setup.d/postgres.sh)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no `postgres` user to run the server as (run scripts/setup.d/postgres.sh)';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function run(bin: string, args: string[], asPostgres: boolean): void {
  const cmd = asPostgres ? 'runuser' : bin;
  const argv = asPostgres ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${bin.split('/').pop()} ${args[0]} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const why = postgresUnavailable();
  if (why) throw new Error(why);
  const bin = postgresBinDir()!;
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-pg-'));
  if (asPostgres) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'kubeguard', '-E', 'UTF8', '--no-sync', '--locale=C'], asPostgres);
  let port = 0;
  const pgCtl = join(bin, 'pg_ctl');
  const start = () => {
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB`;
    run(pgCtl, ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', opts], asPostgres);
  };
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      start();
      break;
    } catch (e) {
      // another process took the port between our probe and the server's bind: try another
      if (attempt >= 4) throw new Error(`${(e as Error).message}\n${existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''}`);
    }
  }
  const adminUrl = `postgres://kubeguard@127.0.0.1:${port}/postgres`;
  let n = 0;
  let stopped = false;
  const stopNow = (mode: string) => {
    try {
      run(pgCtl, ['stop', '-D', data, '-m', mode, '-w', '-t', '60'], asPostgres);
    } catch {
      /* already stopped */
    }
  };
  const cleanup = () => {
    if (stopped) return;
    stopped = true;
    stopNow('immediate');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  return {
    adminUrl,
    port,
    async createDatabase() {
      const name = `t${process.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://kubeguard@127.0.0.1:${port}/${name}`;
    },
    crash: () => stopNow('immediate'),
    start,
    destroy: cleanup,
  };
}
