/**
 * Sending an e-mail through the configured mail server with nodemailer: smtp:// must upgrade with STARTTLS (a
 * server that does not offer it is refused: credentials and findings never cross the network in clear), smtps://
 * is TLS from the start; TLS 1.2 or newer, the server's certificate verified (system CAs plus an optional CA
 * file). Errors never echo the URL, which may hold the password.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import { ConfigError, KubeguardError, errorMessage } from '../../core/errors.js';

export class MailError extends KubeguardError {}

export interface MailServer {
  /** smtp://[user:password@]host[:port] or smtps://… */
  url: string;
  caFile?: string;
  timeoutMs?: number;
}

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A stable Message-ID, so a repeated send (a crash between send and record) is recognisable. */
  messageId: string;
}

export type MailSender = (server: MailServer, mail: Mail) => Promise<void>;

function transportOptions(server: MailServer) {
  let u: URL;
  try {
    u = new URL(server.url);
  } catch {
    throw new ConfigError('server.notifications: an smtp url is not a URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ConfigError('server.notifications: an smtp url must start with smtp:// or smtps://');
  const secure = u.protocol === 'smtps:';
  let ca: Buffer | undefined;
  if (server.caFile) {
    try {
      ca = readFileSync(server.caFile);
    } catch (e) {
      throw new ConfigError(`server.notifications: cannot read caFile: ${errorMessage(e)}`, server.caFile, { cause: e });
    }
  }
  const timeout = server.timeoutMs ?? 30_000;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure,
    ...(u.username && { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }),
    tls: { minVersion: 'TLSv1.2' as const, ...(ca && { ca: [...rootCertificates, ca.toString('utf8')] }) },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
}

export async function sendMail(server: MailServer, mail: Mail): Promise<void> {
  const transport = nodemailer.createTransport(transportOptions(server));
  try {
    await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId });
  } catch (e) {
    const code = (e as { code?: string; responseCode?: number }).code;
    const response = (e as { responseCode?: number }).responseCode;
    throw new MailError(`the digest could not be sent${code ? ` (${code}${response ? ` ${response}` : ''})` : ''}: ${errorMessage(e).replaceAll(server.url, '<url>').slice(0, 300)}`);
  } finally {
    transport.close();
  }
}
