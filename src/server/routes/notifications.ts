/**
 * GET /api/v1/notifications (admin): where the server sends events (kubeguard.yaml `server.notifications`), read
 * only. A URL is shown by its scheme and host alone: webhook paths and queries often hold the credential (a Slack
 * incoming-webhook URL is one).
 */
import type { FastifyInstance } from 'fastify';
import type { NotificationChannel } from '../../engine/config.js';
import { authErrors } from './schemas.js';

const target = {
  type: 'object',
  properties: { name: { type: 'string' }, type: { type: 'string', enum: ['webhook', 'slack', 'smtp'] }, endpoint: { type: 'string' }, events: { type: 'array', items: { type: 'string' } }, clusters: { type: 'array', items: { type: 'string' } } },
  required: ['name', 'type', 'endpoint'],
} as const;

function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(not a URL)';
  }
}

export function notificationRoutes(app: FastifyInstance, channels: readonly NotificationChannel[]): void {
  app.get(
    '/api/v1/notifications',
    { config: { permission: 'settings:manage' }, schema: { summary: 'Notification targets (scheme and host only; the rest of a URL may be a secret)', tags: ['settings'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: target } }, required: ['items'] }, ...authErrors } } },
    async () => ({
      items: channels.map((c, i) => ({ name: c.name ?? `${c.type}-${i + 1}`, type: c.type, endpoint: endpointOf(c.url), ...(c.events && { events: c.events }), ...(c.clusters && { clusters: c.clusters }) })),
    }),
  );
}
