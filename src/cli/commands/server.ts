/** `kubeguard server token|user|backup|restore|install` — administration of the central server and its store. */
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
import type { UserRole } from '../../usecases/access/users.js';
import { USER_ROLES, createUser, setPassword, setUserDisabled, userViews } from '../../usecases/access/users.js';
import { readNewPassword } from '../password-input.js';
import { ConflictError, NotFoundError } from '../../usecases/errors.js';

/** The parts `server install` prints: the server and the in-cluster agent that feeds it. */
export const SERVER_COMPONENTS = ['server', 'agent'];

interface DbFlags {
  database?: string;
  config?: string;
}

async function withStore<T>(flags: DbFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const { file } = await loadConfig(flags.config);
  const store = await openStore(resolveDatabase({ flag: flags.database, configFile: file }));
  try {
    return await fn(store);
  } catch (e) {
    // no such user, a name taken: the caller asked for something that cannot be (exit 2)
    if (e instanceof NotFoundError || e instanceof ConflictError) throw new UsageError(e.message);
    throw e;
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
  const server = program.command('server').description('administer the central server (tokens, users, backups, install manifests)');
  server
    .command('install')
    .description(`print the server's manifests (${SERVER_COMPONENTS.join(', ')}) as one Kustomize base, Pod Security restricted; the database URL comes from a Secret you create (see docs/install.md)`)
    .option('-n, --namespace <name>', 'namespace', 'kubeguard')
    .option('--image <ref>', 'image to run; give it by digest (REF@sha256:…) to pin it', DEFAULT_IMAGE)
    .option('--replicas <n>', 'server replicas (stateless: they behave as one)', '2')
    .option('--cert-manager', 'serving certificate from cert-manager (no private keys in the manifests)')
    .option('--valid-days <days>', 'validity of the generated certificate', '365')
    .option('--agent-mode <mode>', 'agent: watch (a Deployment passing hourly and soon after the cluster changes; list+watch) or cronjob (hourly; list only)', 'watch')
    .option('--output <file>', 'write one YAML stream to a file')
    .option('--output-dir <dir>', 'write a Kustomize base to a directory')
    .action((flags: { namespace: string; image: string; replicas: string; certManager?: boolean; validDays: string; agentMode: string; output?: string; outputDir?: string }) =>
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

  registerUsers(server);
}

function registerUsers(server: Command): void {
  const user = server.command('user').description('people who sign in (dashboard, API by session): scrypt password hashes, roles viewer|approver|admin');
  const passwordStdin = '--password-stdin';

  dbOptions(
    user
      .command('create')
      .description('create a user; the password is read from stdin (--password-stdin) or typed at the terminal')
      .argument('<name>', 'user name (lower case letters, digits, . _ @ -)')
      .requiredOption('--role <role>', `role: ${USER_ROLES.join('|')}`)
      .option(passwordStdin, 'read the password from the first line of stdin'),
  ).action(async (name: string, flags: DbFlags & { role: string; passwordStdin?: boolean }) => {
    const role = oneOf(flags.role, USER_ROLES, '--role') as UserRole;
    const password = await readNewPassword(flags.passwordStdin);
    const created = await withStore(flags, (store) => createUser(store, { name, role, password, now: new Date() }));
    note(`created user ${created.name} (${created.role})`);
  });

  dbOptions(
    user
      .command('passwd')
      .description("set a user's password (every session of the user ends)")
      .argument('<name>', 'user name')
      .option(passwordStdin, 'read the password from the first line of stdin'),
  ).action(async (name: string, flags: DbFlags & { passwordStdin?: boolean }) => {
    const password = await readNewPassword(flags.passwordStdin);
    const ended = await withStore(flags, (store) => setPassword(store, { name, password, now: new Date() }));
    note(`password of ${name.trim().toLowerCase()} changed; ${ended} session(s) ended`);
  });

  dbOptions(user.command('list').description('list users (never their passwords)').option('--json', 'JSON output')).action(async (flags: DbFlags & { json?: boolean }) => {
    const users = await withStore(flags, userViews);
    if (flags.json) process.stdout.write(JSON.stringify(users, null, 2) + '\n');
    else for (const u of users) process.stdout.write(`${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}${u.lastLoginAt ? `\tlast sign-in ${u.lastLoginAt}` : ''}\n`);
  });

  for (const [command, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    dbOptions(
      user
        .command(command)
        .description(disabled ? 'disable a user: sign-in refused, every session ends' : 'enable a disabled user')
        .argument('<name>', 'user name'),
    ).action(async (name: string, flags: DbFlags) => {
      const ended = await withStore(flags, (store) => setUserDisabled(store, { name, disabled, now: new Date() }));
      note(`${command}d ${name.trim().toLowerCase()}${disabled ? `; ${ended} session(s) ended` : ''}`);
    });
  }
}
