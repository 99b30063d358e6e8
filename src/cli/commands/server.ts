/** `kubeguard server token create|list|revoke` — administration of the central server's store. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { resolveDatabase } from '../../sources/store/location.js';
import { openStore } from '../../sources/store/open.js';
import type { Store } from '../../sources/store/open.js';
import { createApiToken, revokeApiToken, tokenViews } from '../../usecases/access/tokens.js';
import { ROLES } from '../../usecases/access/roles.js';
import type { Role } from '../../usecases/access/roles.js';
import { note, oneOf } from '../io.js';
import { backupStore, restoreStore } from '../../sources/store/backup.js';
import { install } from './install.js';
import { DEFAULT_IMAGE } from '../../install/component.js';

/** The parts `server install` prints: the server (and, once it exists, the in-cluster agent). */
export const SERVER_COMPONENTS = ['server'];

interface DbFlags {
  database?: string;
  config?: string;
}

async function withStore<T>(flags: DbFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const { file } = loadConfig(flags.config);
  const store = await openStore(resolveDatabase({ flag: flags.database, configFile: file }));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function dbOptions(cmd: Command): Command {
  return cmd
    .option('--database <path|url>', 'SQLite file or postgres://… (default $KUBEGUARD_DATABASE or kubeguard-server.db beside the config)')
    .option('-c, --config <file>', 'config file (default: ./kubeguard.yaml when present)');
}

export function registerServer(program: Command): void {
  const server = program.command('server').description('administer the central server (tokens, install manifests)');
  server
    .command('install')
    .description(`print the server's manifests (${SERVER_COMPONENTS.join(', ')}) as one Kustomize base, Pod Security restricted; the database URL comes from a Secret you create (see docs/install.md)`)
    .option('-n, --namespace <name>', 'namespace', 'kubeguard')
    .option('--image <ref>', 'image to run; give it by digest (REF@sha256:…) to pin it', DEFAULT_IMAGE)
    .option('--replicas <n>', 'server replicas (stateless: they behave as one)', '2')
    .option('--cert-manager', 'serving certificate from cert-manager (no private keys in the manifests)')
    .option('--valid-days <days>', 'validity of the generated certificate', '365')
    .option('--output <file>', 'write one YAML stream to a file')
    .option('--output-dir <dir>', 'write a Kustomize base to a directory')
    .action((flags: { namespace: string; image: string; replicas: string; certManager?: boolean; validDays: string; output?: string; outputDir?: string }) =>
      install({ ...flags, components: SERVER_COMPONENTS.join(','), failurePolicy: 'Fail' }),
    );

  dbOptions(server.command('backup').description('write a backup of the store (gzip JSON lines; the same for SQLite and PostgreSQL)').requiredOption('--output <file>', 'backup file to write')).action(
    async (flags: DbFlags & { output: string }) => {
      const counts = await withStore(flags, (store) => backupStore(store, flags.output, new Date()));
      note(`wrote ${flags.output}: ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')}`);
    },
  );
  dbOptions(server.command('restore').description('restore a backup into an empty store (all or nothing)').argument('<file>', 'backup file')).action(async (file: string, flags: DbFlags) => {
    const counts = await withStore(flags, (store) => restoreStore(store, file));
    note(`restored ${file}: ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')}`);
  });

  const token = server.command('token').description('API tokens (stored hashed; shown once)');

  dbOptions(
    token
      .command('create')
      .description('create an API token and print it (once)')
      .requiredOption('--role <role>', `role: ${['uploader', 'viewer', 'approver', 'admin'].join('|')}`)
      .option('--name <name>', 'a name to recognise the token by')
      .option('--cluster <name>', 'an uploader token that may upload for this cluster only'),
  ).action(async (flags: DbFlags & { role: string; name?: string; cluster?: string }) => {
    const role = oneOf(flags.role, ROLES, '--role') as Role;
    if (flags.cluster && role !== 'uploader') throw new UsageError('--cluster binds uploader tokens only');
    const created = await withStore(flags, (store) => createApiToken(store, { role, name: flags.name, cluster: flags.cluster, now: new Date() }));
    process.stdout.write(created.token + '\n');
  });

  dbOptions(token.command('list').description('list tokens (never their values)').option('--json', 'JSON output')).action(async (flags: DbFlags & { json?: boolean }) => {
    const items = await withStore(flags, tokenViews);
    if (flags.json) process.stdout.write(JSON.stringify(items, null, 2) + '\n');
    else for (const t of items) process.stdout.write(`${t.id}\t${t.role}\t${t.name}${t.cluster ? `\tcluster=${t.cluster}` : ''}${t.revokedAt ? '\trevoked' : ''}\n`);
  });

  dbOptions(token.command('revoke').description('revoke a token by id').argument('<id>', 'token id (see `server token list`)')).action(async (id: string, flags: DbFlags) => {
    if (!/^\d+$/.test(id)) throw new UsageError('the token id is a number (see `kubeguard server token list`)');
    const done = await withStore(flags, (store) => revokeApiToken(store, Number(id), new Date()));
    if (!done) throw new UsageError(`no active token with id ${id}`);
  });
}
