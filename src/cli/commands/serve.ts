/** `kubeguard serve` — the central server: flags, signals and the listening address; the server is src/server. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { resolveDatabase } from '../../sources/store/location.js';
import { startServer } from '../../server/serve.js';
import { note, oneOf } from '../io.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_DASHBOARD } from '../../server/dashboard.js';

interface ServeFlags {
  port: string;
  host: string;
  database?: string;
  tlsCert?: string;
  tlsKey?: string;
  config?: string;
  logLevel: string;
  quiet?: boolean;
  scheduleSeconds: string;
  /** A directory, or false for --no-dashboard. */
  dashboard?: string | false;
  secureCookies?: boolean;
  trustProxy?: string;
}

/** --dashboard DIR, else the built one when it is there (a checkout before `npm run build` serves the API only). */
function dashboardDir(flag: string | false | undefined): string | undefined {
  if (flag === false) return undefined;
  if (typeof flag === 'string') return flag;
  const built = fileURLToPath(BUILT_DASHBOARD);
  return existsSync(built) ? built : undefined;
}

/** --trust-proxy: addresses or CIDRs of the proxies in front (never "everyone": X-Forwarded-For is forgeable). */
function proxies(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of list) if (!/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(p)) throw new UsageError('--trust-proxy takes IP addresses or CIDRs, comma-separated');
  return list;
}

export function portFlag(value: string, flag = '--port'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be an integer from 0 to 65535 (got "${value}")`);
  return n;
}

/** `${NAME}` in a notification URL is the environment variable NAME: secrets stay out of the config file. */
function withEnv(url: string, smtp: boolean): string {
  const expanded = url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = process.env[name];
    if (v === undefined) throw new UsageError(`server.notifications: the environment variable ${name} is not set`);
    return v;
  });
  // the schema accepts a URL that starts with a reference; what it expands to must still be one (value not echoed)
  if (smtp ? !/^smtps?:\/\//.test(expanded) : !/^https?:\/\//.test(expanded)) throw new UsageError(`server.notifications: a url does not start with ${smtp ? 'smtp:// or smtps://' : 'http:// or https://'} once expanded`);
  return expanded;
}

function secondsFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 86_400) throw new UsageError(`${flag} must be a number of seconds from 0.1 to 86400 (got "${value}")`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the central API: finding history across clusters, uploads, exceptions')
    .option('--port <port>', 'listen port (0: any free port)', '8080')
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--database <path|url>', 'SQLite file or postgres://… (default $KUBEGUARD_DATABASE or kubeguard-server.db beside the config)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'private key of --tls-cert (PEM)')
    .option('-c, --config <file>', 'config file (default: ./kubeguard.yaml when present)')
    .option('--log-level <level>', 'debug|info|warn|error|silent', 'info')
    .option('--schedule-seconds <n>', 'how often scheduled work runs (exception expiry, notifications)', '30')
    .option('--dashboard <dir>', 'serve the dashboard from this built directory (default: the one `npm run build` made)')
    .option('--no-dashboard', 'serve the API only')
    .option('--secure-cookies', 'mark the sign-in cookie Secure without --tls-cert (TLS ends at a proxy in front)')
    .option('--trust-proxy <cidrs>', 'believe X-Forwarded-For/-Host/-Proto from these proxies (sign-in limits then count the real client address)')
    .option('-q, --quiet', 'no start-up note on stderr')
    .action(async (flags: ServeFlags) => {
      if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) throw new UsageError('--tls-cert and --tls-key go together');
      const level = oneOf(flags.logLevel, ['debug', 'info', 'warn', 'error', 'silent'] as const, '--log-level');
      const { config, file } = await loadConfig(flags.config);
      const database = resolveDatabase({ flag: flags.database, configFile: file });
      const server = await startServer({
        database,
        port: portFlag(flags.port),
        host: flags.host,
        tls: flags.tlsCert ? { certFile: flags.tlsCert, keyFile: flags.tlsKey! } : undefined,
        logger: level === 'silent' ? false : { level, redact: ['req.headers.authorization', 'req.headers.cookie'] },
        scheduleMs: secondsFlag(flags.scheduleSeconds, '--schedule-seconds') * 1000,
        notifications: (config.server?.notifications ?? []).map((c) => ({ ...c, url: withEnv(c.url, c.type === 'smtp'), ...(c.caFile && file && { caFile: resolve(dirname(file), c.caFile) }) })),
        retention: config.server?.retention,
        dashboardDir: dashboardDir(flags.dashboard),
        secureCookies: flags.secureCookies,
        trustProxy: proxies(flags.trustProxy),
      });
      note(`kubeguard server listening on ${server.url} (store: ${server.store.location})`, flags.quiet);
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
