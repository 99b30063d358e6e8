/**
 * A running server: store opened (and migrated), API listening over HTTP or HTTPS, and a graceful shutdown that
 * fails readiness first, finishes in-flight requests (an upload being applied commits or rolls back whole),
 * then closes the database.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Store } from '../sources/store/open.js';
import { openStore } from '../sources/store/open.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { JOBS, digestJob, notificationJob, retentionJob, runScheduledWork } from '../usecases/scheduled.js';
import type { MailSender } from '../sources/notify/mail.js';
import { sendMail } from '../sources/notify/mail.js';
import type { NotificationChannel, RetentionSettings } from '../engine/config.js';
import { post } from '../sources/notify/send.js';
import { buildApp } from './app.js';
import { loadDashboard } from './dashboard.js';

export interface ServeOptions {
  database: string;
  port: number;
  host: string;
  tls?: { certFile: string; keyFile: string };
  logger?: FastifyServerOptions['logger'];
  /** How often scheduled work (exception expiry, notifications) runs; default 30 s. */
  scheduleMs?: number;
  /** Where events are sent (kubeguard.yaml `server.notifications`, environment references resolved). */
  notifications?: NotificationChannel[];
  retention?: RetentionSettings;
  /** The built dashboard directory; undefined: the API only. */
  dashboardDir?: string;
  /** Session cookies marked Secure without `tls` (TLS ends at a proxy in front). */
  secureCookies?: boolean;
  /** Proxies whose X-Forwarded-* headers are believed. */
  trustProxy?: string[];
  /** How digests are sent (tests may pass their own); default nodemailer through the channel's mail server. */
  sendMail?: MailSender;
}

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

function readTls(tls: NonNullable<ServeOptions['tls']>): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
  } catch (e) {
    throw new ConfigError(`cannot read the TLS certificate or key: ${errorMessage(e)}`, tls.certFile, { cause: e });
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const https = options.tls && readTls(options.tls);
  const dashboard = options.dashboardDir === undefined ? undefined : loadDashboard(options.dashboardDir);
  const store = await openStore(options.database);
  let closing = false;
  let app: FastifyInstance;
  try {
    app = await buildApp({ store, logger: options.logger, https, isClosing: () => closing, dashboard, notifications: options.notifications, secureCookies: options.secureCookies || undefined, trustProxy: options.trustProxy });
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    await store.close();
    throw e;
  }
  // scheduled work: each replica tries; the store's job lock lets one run each job at a time
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let running: Promise<unknown> = Promise.resolve();
  const warn = (channel: string, message: string) => app.log.warn({ channel }, message);
  const channels = options.notifications ?? [];
  const jobs = [
    ...JOBS,
    retentionJob(options.retention),
    ...(channels.some((c) => c.type !== 'smtp') ? [notificationJob(channels, holder, post, warn)] : []),
    ...(channels.some((c) => c.type === 'smtp') ? [digestJob(channels, holder, options.sendMail ?? sendMail, warn)] : []),
  ];
  const tick = () => {
    running = runScheduledWork(store, holder, () => new Date(), jobs).catch((e: unknown) => app.log.error({ err: e }, 'scheduled work failed'));
  };
  const timer = setInterval(tick, options.scheduleMs ?? 30_000);
  timer.unref();
  tick();
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    store,
    url: `${https ? 'https' : 'http'}://${host}:${address.port}`,
    async close() {
      closing = true;
      clearInterval(timer);
      await app.close();
      await running;
      await store.close();
    },
  };
}
