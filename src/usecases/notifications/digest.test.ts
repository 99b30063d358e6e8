/**
 * E-mail digests through a real SMTP server in this process (smtp-server on an ephemeral port, STARTTLS with a
 * certificate made for the test, AUTH only after TLS), parsed back with mailparser.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { NotificationChannel } from '../../engine/config.js';
import { eachStore } from '../../sources/store/test-support/stores.js';
import { openStore } from '../../sources/store/open.js';
import { finding, pod, uploadBody } from '../../sources/upload/test-support/uploads.js';
import { sendMail } from '../../sources/notify/mail.js';
import { ingestUpload } from '../history/ingest.js';
import { decideException, requestException } from '../exceptions/workflow.js';
import { catalogResolver } from '../exceptions/rules.js';
import { startServer } from '../../server/serve.js';
import { parseConfig } from '../../sources/config/parse-config.js';
import { lastPeriod, sendDigests } from './digest.js';

interface Received {
  from: string;
  to: string[];
  secure: boolean;
  user: string;
  raw: string;
}

let dir = '';
let caFile = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-smtp-'));
  caFile = join(dir, 'smtp.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=kubeguard-test-smtp', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2', '-keyout', join(dir, 'smtp.key'), '-out', caFile], { stdio: 'ignore' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A real SMTP server: STARTTLS (unless `noStartTls`: the command is disabled), PLAIN/LOGIN only over TLS, one user. */
async function smtpServer(options: { noStartTls?: boolean } = {}) {
  const got: Received[] = [];
  const server = new SMTPServer({
    key: readFileSync(join(dir, 'smtp.key')),
    cert: readFileSync(caFile),
    ...(options.noStartTls && { disabledCommands: ['STARTTLS'] }),
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'kubeguard' && auth.password === 's3cret/p@ss') cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure, user: String(session.user), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { got, url: `smtp://kubeguard:${encodeURIComponent('s3cret/p@ss')}@127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const channel = (url: string, extra: Partial<NotificationChannel> = {}): NotificationChannel => ({ type: 'smtp', name: 'security-daily', url, from: 'kubeguard@example.test', to: ['sec@example.test', 'Lead@Example.test'], caFile, ...extra });

it('periods: the UTC day that ended last; weeks from Monday', () => {
  const at = Date.parse('2026-06-03T00:05:00Z'); // a Wednesday
  assert.deepEqual(Object.values(lastPeriod('daily', at)).map((t) => new Date(t).toISOString()), ['2026-06-02T00:00:00.000Z', '2026-06-03T00:00:00.000Z']);
  assert.deepEqual(Object.values(lastPeriod('weekly', at)).map((t) => new Date(t).toISOString()), ['2026-05-25T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
  assert.deepEqual(Object.values(lastPeriod('weekly', Date.parse('2026-06-01T00:00:00Z'))).map((t) => new Date(t).toISOString()), ['2026-05-25T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
});

it('the config schema: an smtp channel needs from and to, takes no events; other channels take no mail fields', () => {
  const cfg = (channel: string) => () => parseConfig(`server:\n  notifications:\n    - ${channel}\n`, 'kubeguard.yaml');
  assert.doesNotThrow(cfg('{type: smtp, url: "smtp://mail.example:587", from: a@example.test, to: [b@example.test], period: weekly}'));
  assert.throws(cfg('{type: smtp, url: "smtp://mail.example:587", from: a@example.test}'));
  assert.throws(cfg('{type: smtp, url: "smtp://mail.example:587", from: a@example.test, to: [b@example.test], events: [new-critical]}'));
  assert.throws(cfg('{type: smtp, url: "ftp://mail.example", from: a@example.test, to: [b@example.test]}'));
  assert.throws(cfg('{type: webhook, url: "https://hooks.example", to: [b@example.test]}'));
});

eachStore('e-mail digests', (_open, target) => {
  it('one message per recipient and period over STARTTLS, with two replicas sending at once; content from the store', async () => {
    const location = await target.newLocation();
    const [a, b] = [await openStore(location), await openStore(location)];
    const smtp = await smtpServer();
    try {
      const at = (iso: string) => ({ now: new Date(iso) });
      // 31 May: a low finding; 1 June: it is fixed, two criticals and a high are new (prod), one critical in dev
      await ingestUpload(a, uploadBody({ scannedAt: '2026-05-31T10:00:00.000Z', findings: [finding('memory-limit-missing', pod('old', 'shop'), 'low', '/x')] }), at('2026-05-31T10:00:00Z'));
      await ingestUpload(a, uploadBody({ scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('pss-privileged', pod('web', 'shop'), 'critical'), finding('pss-host-path-volumes', pod('web', 'shop'), 'critical', '/spec/volumes/0'), finding('pss-run-as-non-root', pod('web', 'shop'), 'high', '/y')] }), at('2026-06-01T10:00:00Z'));
      await ingestUpload(a, uploadBody({ cluster: 'dev', scannedAt: '2026-06-01T11:00:00.000Z', findings: [finding('pss-privileged', pod('x'), 'critical')] }), at('2026-06-01T11:00:00Z'));
      const ex = await requestException(a, { id: 'token:1', name: 'dev', role: 'viewer' }, { rules: ['rbac-read-secrets'], reason: 'vault agent', owner: 'platform', expires: '2026-06-05' }, new Date('2026-06-01T12:00:00Z'), catalogResolver);
      await decideException(a, { id: 'token:2', name: 'lead', role: 'approver' }, ex.id, 'approve', 'ok', new Date('2026-06-01T12:00:00Z'));

      const now = new Date('2026-06-02T00:05:00Z');
      const errors: string[] = [];
      const runs = await Promise.all([a, b].map((s, i) => sendDigests(s, [channel(smtp.url)], `replica-${i}`, now, sendMail, (c, m) => errors.push(`${c}: ${m}`))));
      assert.deepEqual(errors, []);
      assert.equal(runs[0].sent + runs[1].sent, 2);
      assert.deepEqual(smtp.got.map((m) => [m.to, m.from, m.secure, m.user]).sort(), [
        [['Lead@example.test'], 'kubeguard@example.test', true, 'kubeguard'],
        [['sec@example.test'], 'kubeguard@example.test', true, 'kubeguard'],
      ]);
      const mail = await simpleParser(smtp.got[0].raw);
      assert.equal(mail.subject, 'kubeguard daily digest 2026-06-01: 3 new critical, 1 fixed, 1 exception(s) expiring');
      assert.deepEqual(mail.text?.trim().split('\n'), [
        'kubeguard daily digest for 2026-06-01 (UTC), channel security-daily',
        '',
        'New critical findings (3, still open)',
        '  - dev: pss-privileged on Pod default/x',
        '  - prod: pss-host-path-volumes on Pod shop/web',
        '  - prod: pss-privileged on Pod shop/web',
        '',
        'Fixed (1: 1 low)',
        '  - prod: memory-limit-missing (low) on Pod shop/old',
        '',
        'Exceptions expiring in the next 7 days (1)',
        `  - #${ex.id} rbac-read-secrets expires 2026-06-05; owner platform`,
        '',
        'Worst clusters (open critical / high; new and fixed in the period)',
        '  - prod: 2 critical, 1 high open; 3 new, 1 fixed',
        '  - dev: 1 critical, 0 high open; 1 new, 0 fixed',
      ]);
      assert.match(String(mail.html), /<h2>New critical findings \(3, still open\)<\/h2><ul><li>dev: pss-privileged on Pod default\/x<\/li>/);

      // the same period again, from either replica: nothing more
      const again = await Promise.all([a, b].map((s, i) => sendDigests(s, [channel(smtp.url)], `replica-${i}`, new Date('2026-06-02T09:00:00Z'), sendMail)));
      assert.equal(again[0].sent + again[1].sent, 0);
      assert.equal(smtp.got.length, 2);
      // a channel limited to dev sees dev only
      const dev = await sendDigests(a, [channel(smtp.url, { name: 'dev-daily', to: ['dev@example.test'], clusters: ['dev'] })], 'replica-0', now, sendMail);
      assert.equal(dev.sent, 1);
      assert.match((await simpleParser(smtp.got[2].raw)).subject ?? '', /: 1 new critical, 0 fixed, 1 exception/);
    } finally {
      await smtp.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a mail server without STARTTLS is refused (no password in the error), and the digest goes out on a later run', async () => {
    const location = await target.newLocation();
    const store = await openStore(location);
    const plain = await smtpServer({ noStartTls: true });
    const good = await smtpServer();
    try {
      const now = new Date('2026-06-02T00:05:00Z');
      const errors: string[] = [];
      const first = await sendDigests(store, [channel(plain.url, { to: ['sec@example.test'] })], 'r', now, sendMail, (c, m) => errors.push(`${c}: ${m}`));
      assert.deepEqual([first.sent, first.failed, plain.got.length], [0, 1, 0]);
      assert.match(errors[0], /^security-daily: the digest could not be sent/);
      assert.doesNotMatch(errors[0], /s3cret|p%40ss/);
      // the claim lapses; the fixed configuration sends it
      const later = await sendDigests(store, [channel(good.url, { to: ['sec@example.test'] })], 'r', new Date(now.getTime() + 6 * 60_000), sendMail);
      assert.deepEqual([later.sent, good.got.length], [1, 1]);
    } finally {
      await Promise.all([plain.close(), good.close()]);
      await store.close();
    }
  });

  it('two `kubeguard serve` instances on one store send each recipient one digest', async () => {
    const location = await target.newLocation();
    const smtp = await smtpServer();
    const servers = [];
    try {
      for (let i = 0; i < 2; i++) servers.push(await startServer({ database: location, port: 0, host: '127.0.0.1', scheduleMs: 100, notifications: [channel(smtp.url)], dashboardDir: undefined }));
      for (let waited = 0; smtp.got.length < 2 && waited < 20_000; waited += 100) await sleep(100);
      await sleep(1000); // several more scheduling rounds on both
      assert.deepEqual(smtp.got.map((m) => m.to[0]).sort(), ['Lead@example.test', 'sec@example.test']);
      assert.match((await simpleParser(smtp.got[0].raw)).subject ?? '', /^kubeguard daily digest \d{4}-\d\d-\d\d: 0 new critical, 0 fixed, 0 exception\(s\) expiring$/);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await smtp.close();
    }
  });
});
