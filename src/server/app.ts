/**
 * The HTTP API of `kubeguard serve` (fastify): routes are thin — parse, authorise, call a use case, answer.
 * The OpenAPI document is generated from the route schemas and served at /openapi.json.
 * Paths: the API is entirely under /api/v1, plus /openapi.json, /healthz and /readyz. Everything else (`/`,
 * `/assets/…`) is left to the dashboard's static files (issue 20), registered here next to the routes.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { TOOL } from '../engine/report.js';
import type { Store } from '../sources/store/open.js';
import { authHook } from './auth.js';
import { errorHandler } from './errors.js';
import { findingRoutes } from './routes/findings.js';
import { healthRoutes } from './routes/health.js';
import { scanRoutes } from './routes/scans.js';
import { exceptionRoutes } from './routes/exceptions.js';
import { overviewRoutes } from './routes/overview.js';
import { incidentRoutes } from './routes/incidents.js';
import { catalogResolver } from '../usecases/exceptions/rules.js';
import { vulnerabilityRoutes } from './routes/vulnerabilities.js';
import { graphRoutes } from './routes/graphs.js';
import { workloadContextRoutes } from './routes/workload-context.js';
import { complianceRoutes } from './routes/compliance.js';
import { tokenRoutes } from './routes/tokens.js';
import { notificationRoutes } from './routes/notifications.js';
import type { NotificationChannel } from '../engine/config.js';
import type { Dashboard } from './dashboard.js';
import { dashboardRoutes } from './dashboard.js';
import type { LoginLimits, SessionPolicy } from '../usecases/access/sessions.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import { sessionCookieName } from './cookies.js';

export interface AppOptions {
  store: Store;
  /** The clock (tests pass their own). */
  now?: () => Date;
  logger?: FastifyServerOptions['logger'];
  https?: { cert: string | Buffer; key: string | Buffer };
  isClosing?: () => boolean;
  /** Where events are sent (shown to admins by scheme and host). */
  notifications?: readonly NotificationChannel[];
  /** The dashboard's files (undefined: the API only; `/` says how to build them). */
  dashboard?: Dashboard;
  /** Session cookies only over HTTPS (default: when `https` is set; behind a TLS-terminating proxy, say so). */
  secureCookies?: boolean;
  /**
   * Proxies whose X-Forwarded-For/-Host/-Proto are believed (addresses or CIDRs, fastify's trustProxy): then the
   * client address that sign-in limits count is the one the proxy saw, not the proxy's own.
   */
  trustProxy?: string[];
  sessionPolicy?: SessionPolicy;
  loginLimits?: LoginLimits;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https && { https: { ...options.https, minVersion: 'TLSv1.2' as const } }),
    bodyLimit: 10 * 1024 * 1024,
    requestTimeout: 0,
    connectionTimeout: 0,
    keepAliveTimeout: 65_000,
    ...(options.trustProxy?.length && { trustProxy: options.trustProxy }),
    // `severity=high&severity=critical` and `severity=high` both reach the route as lists
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }) as unknown as FastifyInstance;

  const secureCookies = options.secureCookies ?? Boolean(options.https);
  const cookieName = sessionCookieName(secureCookies);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'kubeguard server', version: TOOL.version, description: 'Findings history across clusters, exceptions workflow, uploads.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: cookieName, description: 'from POST /api/v1/session (sign-in); state-changing requests also send X-CSRF-Token' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  app.setErrorHandler(errorHandler);
  app.addHook('onRequest', authHook(options.store, now, { cookieName, sessionPolicy: options.sessionPolicy }));
  // answers of the API are about one caller at one moment: never cached by browsers or proxies
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
  });

  healthRoutes(app, options.store, options.isClosing ?? (() => false));
  userRoutes(app, options.store, now);
  findingRoutes(app, options.store);
  scanRoutes(app, options.store, now);
  exceptionRoutes(app, options.store, now, catalogResolver);
  overviewRoutes(app, options.store, now);
  incidentRoutes(app, options.store, now);
  sessionRoutes(app, options.store, now, { cookieName, secureCookies, sessionPolicy: options.sessionPolicy, loginLimits: options.loginLimits });
  vulnerabilityRoutes(app, options.store);
  graphRoutes(app, options.store);
  workloadContextRoutes(app, options.store, now);
  complianceRoutes(app, options.store);
  tokenRoutes(app, options.store, now);
  notificationRoutes(app, options.notifications ?? []);
  dashboardRoutes(app, options.dashboard);
  return app;
}
