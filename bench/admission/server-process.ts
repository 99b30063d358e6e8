/**
 * One server under load, in its own process so its RSS is its own: `kubeguard` (the real webhook, default
 * config, the full rule catalogue) or `bare` (Node HTTPS that parses the review and echoes an allow).
 * run.ts bundles this file with esbuild and runs it with plain node (as the built CLI runs), not through tsx.
 * Talks to bench/admission/run.ts over IPC: sends {port}, answers {rss} with the peak resident set size.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createWebhook } from '../../src/admission/serve.js';
import { createLogger } from '../../src/admission/server/log.js';
import { RULES } from '../../src/engine/catalog.js';

const [mode, certFile, keyFile, configJson] = process.argv.slice(2);
let peakRss = process.memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50).unref();
process.on('message', (m: { type: string }) => {
  if (m.type === 'rss') process.send?.({ type: 'rss', rss: Math.max(peakRss, process.memoryUsage().rss) });
  if (m.type === 'exit') process.exit(0);
});

if (mode === 'bare') {
  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apiVersion: string; request: { uid: string } };
      const body = JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port }));
} else {
  if (RULES.length === 0) throw new Error('the rule catalogue is empty: run `npm run gen` first');
  const webhook = createWebhook({
    config: { preset: 'recommended', failOn: 'high', ...(configJson ? (JSON.parse(configJson) as object) : {}) },
    catalog: RULES,
    tls: { certFile, keyFile },
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'info' }),
  });
  const { port } = await webhook.listen();
  process.send?.({ type: 'listening', port, rules: webhook.policy.rules.length });
}
