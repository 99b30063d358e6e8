/**
 * Sending a notification: an HTTP POST of JSON to a webhook or a Slack-compatible incoming webhook, with a timeout,
 * the event's id as a delivery id (receivers de-duplicate on it), and errors that never echo the URL (it often
 * holds a secret, as Slack's do).
 */
import { KubeguardError, errorMessage } from '../../core/errors.js';

export class NotifyError extends KubeguardError {}

export interface Delivery {
  url: string;
  body: unknown;
  deliveryId: string;
  event: string;
  timeoutMs?: number;
  userAgent?: string;
}

export async function post(d: Delivery): Promise<void> {
  let res: Response;
  try {
    res = await fetch(d.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': d.userAgent ?? 'kubeguard', 'x-kubeguard-event': d.event, 'x-kubeguard-delivery': d.deliveryId },
      body: JSON.stringify(d.body),
      signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (e) {
    throw new NotifyError(`the notification could not be sent: ${errorMessage((e as { cause?: unknown }).cause ?? e).replaceAll(d.url, '<url>')}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new NotifyError(`the notification was refused: HTTP ${res.status}`);
}
