/**
 * Test support: a real webhook over real HTTPS on 127.0.0.1 with certificates generated per test run, a
 * keep-alive HTTPS client trusting that CA, and AdmissionReview bodies shaped as the Kubernetes documentation
 * shows them (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:https';
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../core/model.js';
import type { KubeguardConfig } from '../../engine/config.js';
import type { GateProviders } from '../../usecases/admission/gates/from-config.js';
import { createWebhook } from '../serve.js';
import type { Webhook, WebhookOptions } from '../serve.js';
import { createLogger } from '../server/log.js';
import { issueCertificates } from '../tls/certificates.js';
import type { IssuedCertificates } from '../tls/certificates.js';
import { ruleCatalog } from './catalog.js';

export interface HttpReply {
  status: number;
  text: string;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestWebhook {
  webhook: Webhook;
  port: number;
  certs: IssuedCertificates;
  dir: string;
  logs: Record<string, unknown>[];
  post(path: string, body: unknown, extraHeaders?: Record<string, string>): Promise<HttpReply>;
  get(path: string): Promise<HttpReply>;
  close(): Promise<void>;
}

export async function newCertificates(): Promise<IssuedCertificates> {
  return issueCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], notBefore: new Date() });
}

export function httpsCall(port: number, ca: string, method: string, path: string, body?: string, agent?: Agent, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, ca, servername: 'localhost', agent, headers: body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function startTestWebhook(config: KubeguardConfig = {}, options: { providers?: GateProviders; shutdownDelayMs?: number; serverExceptions?: WebhookOptions['serverExceptions'] } = {}): Promise<TestWebhook> {
  const certs = await newCertificates();
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-admission-'));
  writeFileSync(join(dir, 'tls.crt'), certs.server.cert);
  writeFileSync(join(dir, 'tls.key'), certs.server.key);
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const webhook = createWebhook({
    config: { preset: 'recommended', failOn: 'high', ...config },
    catalog: await ruleCatalog(),
    tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
    host: '127.0.0.1',
    port: 0,
    logger,
    ...(options.providers && { providers: options.providers }),
    ...(options.shutdownDelayMs !== undefined && { shutdownDelayMs: options.shutdownDelayMs }),
    ...(options.serverExceptions && { serverExceptions: options.serverExceptions }),
    shutdownGraceMs: 5000,
  });
  const { port } = await webhook.listen();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  return {
    webhook,
    port,
    certs,
    dir,
    logs,
    post: (path, body, extraHeaders) => httpsCall(port, certs.ca.cert, 'POST', path, typeof body === 'string' ? body : JSON.stringify(body), agent, extraHeaders),
    get: (path) => httpsCall(port, certs.ca.cert, 'GET', path, undefined, agent),
    async close() {
      agent.destroy();
      await webhook.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReviewOptions {
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  namespace?: string;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
  apiVersion?: 'admission.k8s.io/v1' | 'admission.k8s.io/v1beta1';
  uid?: string;
  subResource?: string;
}

const RESOURCES: Record<string, [string, string]> = {
  Pod: ['', 'pods'], PodTemplate: ['', 'podtemplates'], ReplicationController: ['', 'replicationcontrollers'],
  Deployment: ['apps', 'deployments'], StatefulSet: ['apps', 'statefulsets'], DaemonSet: ['apps', 'daemonsets'],
  ReplicaSet: ['apps', 'replicasets'], Job: ['batch', 'jobs'], CronJob: ['batch', 'cronjobs'],
  ConfigMap: ['', 'configmaps'], Secret: ['', 'secrets'], Service: ['', 'services'],
};

/** An AdmissionReview request as the API server sends it. */
export function admissionReview(object: KubeObject | null, o: ReviewOptions = {}): Record<string, unknown> {
  const subject = object ?? o.oldObject ?? {};
  const kind = subject.kind ?? 'Pod';
  const [group, version] = (subject.apiVersion ?? 'v1').includes('/') ? (subject.apiVersion ?? '').split('/') : ['', subject.apiVersion ?? 'v1'];
  const resource = RESOURCES[kind]?.[1] ?? `${kind.toLowerCase()}s`;
  const operation = o.operation ?? 'CREATE';
  const namespace = o.namespace ?? subject.metadata?.namespace ?? 'default';
  return {
    apiVersion: o.apiVersion ?? 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: o.uid ?? randomUUID(),
      kind: { group, version, kind },
      resource: { group, version, resource },
      requestKind: { group, version, kind },
      requestResource: { group, version, resource },
      ...(o.subResource && { subResource: o.subResource }),
      name: subject.metadata?.name ?? '',
      namespace,
      operation,
      userInfo: { username: 'admin', uid: '014fbff9a07c', groups: ['system:authenticated', 'my-admin-group'] },
      object: operation === 'DELETE' ? null : object,
      oldObject: o.oldObject ?? null,
      dryRun: o.dryRun ?? false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: operation === 'DELETE' ? 'DeleteOptions' : operation === 'UPDATE' ? 'UpdateOptions' : 'CreateOptions' },
    },
  };
}

export interface ReplyShape {
  apiVersion: string;
  kind: string;
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string; reason?: string };
    warnings?: string[];
    patchType?: string;
    patch?: string;
    auditAnnotations?: Record<string, string>;
  };
}

export function asReply(r: HttpReply): ReplyShape {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`);
  return r.json as ReplyShape;
}
