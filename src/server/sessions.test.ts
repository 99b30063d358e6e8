/**
 * People signing in: password sign-in, the session cookie, CSRF protection of cookie-authenticated changes,
 * session fixation, rate limits per account and per address, expiry, and roles enforced exactly as for tokens.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eachStore } from '../sources/store/test-support/stores.js';
import { createUser, setPassword, setUserDisabled } from '../usecases/access/users.js';
import type { UserRole } from '../usecases/access/users.js';
import type { Store } from '../sources/store/open.js';
import type { RequestOptions, TestServer } from './test-support/server.js';
import { request, startTestServer } from './test-support/server.js';

const PASSWORD = 'correct horse battery staple';

async function user(store: Store, name: string, role: UserRole, password = PASSWORD): Promise<void> {
  await createUser(store, { name, role, password, now: new Date() });
}

interface Signed {
  cookie: string;
  sessionId: string;
  csrf: string;
  setCookie: string;
}

async function signIn(s: TestServer, name: string, password = PASSWORD, cookie?: string): Promise<Signed> {
  const r = await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: name, password }, cookie });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const setCookie = r.headers.get('set-cookie')!;
  const m = /^kubeguard-session=([A-Za-z0-9_-]{43});/.exec(setCookie);
  assert.ok(m, setCookie);
  return { cookie: `kubeguard-session=${m[1]}`, sessionId: m[1], csrf: r.body.csrfToken as string, setCookie };
}

/** A clock the test moves. */
function clock(start = Date.parse('2026-06-01T10:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

eachStore('users and sessions', (open, target) => {
  it('signs in with a password: an HttpOnly SameSite=Strict cookie, the CSRF token, and the same role as a token', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      await user(store, 'Alice', 'viewer');
      assert.equal((await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'alice', password: 'wrong password!' } })).status, 401);
      assert.equal((await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'nobody', password: PASSWORD } })).status, 401);
      const a = await signIn(s, 'ALICE');
      assert.match(a.setCookie, /; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/, 'not Secure over plain HTTP');
      const me = await request(`${s.url}/api/v1/session`, { cookie: a.cookie });
      assert.deepEqual([me.body.user, me.body.via, me.body.csrfToken], [{ name: 'alice', role: 'viewer' }, 'session', a.csrf]);
      assert.deepEqual(me.body.permissions, ['findings:read', 'exceptions:read', 'exceptions:request']);
      assert.equal(me.headers.get('cache-control'), 'no-store');
      assert.equal((await request(`${s.url}/api/v1/findings`, { cookie: a.cookie })).status, 200);
      assert.equal((await request(`${s.url}/api/v1/audit`, { cookie: a.cookie })).status, 403, 'a viewer session may not read the audit log');
      const tokenMe = await request(`${s.url}/api/v1/session`, { token: s.tokens.uploader });
      assert.deepEqual([tokenMe.body.user, tokenMe.body.via, tokenMe.body.csrfToken], [{ name: 'test-uploader', role: 'uploader' }, 'token', undefined]);

      const audit = await store.db.selectFrom('audit_log').select(['actor', 'action', 'remote']).where('action', 'like', 'user.login%').orderBy('id').execute();
      assert.deepEqual(audit, [
        { actor: 'user:alice', action: 'user.login-failed', remote: '127.0.0.1' },
        { actor: 'anonymous', action: 'user.login-failed', remote: '127.0.0.1' },
        { actor: 'user:alice', action: 'user.login', remote: '127.0.0.1' },
      ]);

      // sign out: the session ends on the server, not only in the browser
      const out = await request(`${s.url}/api/v1/session`, { method: 'DELETE', cookie: a.cookie, headers: { 'x-csrf-token': a.csrf } });
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie')!, /^kubeguard-session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
      assert.equal((await request(`${s.url}/api/v1/session`, { cookie: a.cookie })).status, 401);
    } finally {
      await s.close();
    }
  });

  it('refuses cookie-authenticated changes without the CSRF token or from another site; bearer calls need none', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      await user(store, 'bob', 'viewer');
      const b = await signIn(s, 'bob');
      const body = { rules: ['pss-privileged'], reason: 'test' };
      const post = (o: RequestOptions) => request(`${s.url}/api/v1/exceptions`, { method: 'POST', body, cookie: b.cookie, ...o });
      const attempts: [string, RequestOptions][] = [
        ['no token', {}],
        ['a wrong token', { headers: { 'x-csrf-token': 'A'.repeat(43) } }],
        ["another session's token", { headers: { 'x-csrf-token': (await signIn(s, 'bob')).csrf } }],
        ['the token in a form field', { body: { ...body, csrf: b.csrf } }],
        ['another origin', { headers: { 'x-csrf-token': b.csrf, origin: 'https://evil.example' } }],
        ['a cross-site fetch', { headers: { 'x-csrf-token': b.csrf, 'sec-fetch-site': 'cross-site' } }],
        ['a sibling site', { headers: { 'x-csrf-token': b.csrf, 'sec-fetch-site': 'same-site' } }],
      ];
      for (const [what, o] of attempts) {
        const r = await post(o);
        assert.equal(r.status, 403, what);
        assert.equal(r.body.error, 'csrf', what);
      }
      assert.equal((await request(`${s.url}/api/v1/exceptions`, { cookie: b.cookie })).body.items instanceof Array, true, 'reads need no CSRF token');
      assert.equal((await store.db.selectFrom('exceptions').select('id').execute()).length, 0, 'nothing was changed');
      const origin = new URL(s.url).origin;
      const ok = await post({ headers: { 'x-csrf-token': b.csrf, origin, 'sec-fetch-site': 'same-origin' } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.requestedBy, 'user:bob');
      // a bearer call ignores cookies entirely, and is not CSRF-prone (a browser never adds Authorization by itself)
      assert.equal((await post({ token: s.tokens.viewer })).status, 201);
      assert.equal((await request(`${s.url}/api/v1/session`, { token: 'kgt_wrong', cookie: b.cookie })).status, 401, 'a bad bearer token does not fall back to the cookie');
      // sign-in itself refuses another site's page (login CSRF)
      const foreign = await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'bob', password: PASSWORD }, headers: { origin: 'https://evil.example' } });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.headers.get('set-cookie'), null);
      const form = await fetch(`${s.url}/api/v1/session`, { method: 'POST', body: `username=bob&password=${encodeURIComponent(PASSWORD)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.status, 415, 'a plain HTML form cannot sign in');
    } finally {
      await s.close();
    }
  });

  it('prevents session fixation: sign-in always issues a new id and ends the one presented', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      await user(store, 'victim', 'admin');
      await user(store, 'mallory', 'viewer');
      // the attacker plants an id of their own choosing, then one of their own valid sessions
      const chosen = `kubeguard-session=${'x'.repeat(43)}`;
      const v1 = await signIn(s, 'victim', PASSWORD, chosen);
      assert.notEqual(v1.cookie, chosen);
      assert.equal((await request(`${s.url}/api/v1/session`, { cookie: chosen })).status, 401, 'a chosen id never becomes a session');
      const m = await signIn(s, 'mallory');
      const v2 = await signIn(s, 'victim', PASSWORD, m.cookie);
      assert.notEqual(v2.sessionId, m.sessionId);
      assert.equal((await request(`${s.url}/api/v1/session`, { cookie: m.cookie })).status, 401, "the planted session ended: it never carries the victim's rights");
      assert.deepEqual((await request(`${s.url}/api/v1/session`, { cookie: v2.cookie })).body.user, { name: 'victim', role: 'admin' });
      assert.deepEqual((await request(`${s.url}/api/v1/session`, { cookie: v1.cookie })).body.user, { name: 'victim', role: 'admin' }, 'other sessions of the victim go on');
    } finally {
      await s.close();
    }
  });

  it('keeps neither passwords nor session ids in the database', async () => {
    const store = await open();
    const s = await startTestServer(store);
    const password = 'unrecoverable-Pa55phrase';
    try {
      await user(store, 'carol', 'approver', password);
      const c = await signIn(s, 'carol', password);
      const rows = JSON.stringify([await store.db.selectFrom('users').selectAll().execute(), await store.db.selectFrom('sessions').selectAll().execute()]);
      assert.match(rows, /\$scrypt\$ln=15,r=8,p=3\$/);
      for (const secret of [password, c.sessionId, c.csrf]) assert.ok(!rows.includes(secret));
      if (target.dialect === 'sqlite') {
        await s.close();
        await store.close();
        const bytes = readFileSync(store.location, 'latin1');
        for (const secret of [password, c.sessionId, c.csrf]) assert.ok(!bytes.includes(secret), 'nor anywhere in the database file');
      }
    } finally {
      await s.close();
    }
  });

  it('limits failed sign-ins per account and per address, across the window', async () => {
    const store = await open();
    const t = clock();
    const s = await startTestServer(store, t.now, { loginLimits: { windowMs: 15 * 60_000, perAccount: 3, perAddress: 5 } });
    const login = (name: string, password: string) => request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: name, password } });
    try {
      await user(store, 'dave', 'viewer');
      await user(store, 'erin', 'viewer');
      for (let i = 0; i < 3; i++) assert.equal((await login('dave', `guess number ${i}`)).status, 401);
      const locked = await login('dave', PASSWORD);
      assert.equal(locked.status, 429, 'the right password is not even checked past the limit');
      assert.equal(locked.headers.get('retry-after'), String(15 * 60));
      assert.equal((await login('erin', PASSWORD)).status, 200, 'another account from the same address');
      // unknown names count like known ones (the answers do not tell which exist); a forged X-Forwarded-For from a
      // client that is not a trusted proxy changes nothing
      for (let i = 0; i < 2; i++) {
        const r = await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'nobody', password: `guess ${i}` }, headers: { 'x-forwarded-for': `10.9.9.${i}` } });
        assert.equal(r.status, 401);
      }
      assert.equal((await login('erin', PASSWORD)).status, 429, 'the address is past its limit (5 failures)');
      t.advance(15 * 60_000 + 1);
      assert.equal((await login('dave', PASSWORD)).status, 200, 'a new window');
    } finally {
      await s.close();
    }
    // behind a trusted proxy the limit is per client address the proxy saw
    const proxied = await startTestServer(store, t.now, { trustProxy: ['127.0.0.1'], loginLimits: { windowMs: 15 * 60_000, perAccount: 10, perAddress: 2 } });
    const via = (client: string, password: string) => request(`${proxied.url}/api/v1/session`, { method: 'POST', body: { username: 'erin', password }, headers: { 'x-forwarded-for': client } });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await via('198.51.100.7', `wrong ${i}`)).status, 401);
      assert.equal((await via('198.51.100.7', PASSWORD)).status, 429);
      assert.equal((await via('198.51.100.8', PASSWORD)).status, 200, 'another client behind the same proxy');
    } finally {
      await proxied.close();
    }
  });

  it('ends sessions when idle, at their end, at a new password and when the user is disabled', async () => {
    const store = await open();
    const t = clock();
    const s = await startTestServer(store, t.now, { sessionPolicy: { idleMs: 30 * 60_000, maxMs: 2 * 3600_000 } });
    const me = (c: Signed) => request(`${s.url}/api/v1/session`, { cookie: c.cookie });
    try {
      await user(store, 'frank', 'approver');
      const idle = await signIn(s, 'frank');
      t.advance(29 * 60_000);
      assert.equal((await me(idle)).status, 200);
      t.advance(29 * 60_000);
      assert.equal((await me(idle)).status, 200, 'each request keeps it alive');
      t.advance(31 * 60_000);
      assert.equal((await me(idle)).status, 401, 'idle too long');
      const long = await signIn(s, 'frank');
      for (let i = 0; i < 4; i++) {
        t.advance(25 * 60_000);
        assert.equal((await me(long)).status, 200);
      }
      t.advance(25 * 60_000);
      assert.equal((await me(long)).status, 401, 'past the absolute end however active');

      const a = await signIn(s, 'frank');
      await setPassword(store, { name: 'frank', password: 'a brand new passphrase', now: t.now() });
      assert.equal((await me(a)).status, 401, 'a new password ends every session');
      assert.equal((await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'frank', password: PASSWORD } })).status, 401);
      const b = await signIn(s, 'frank', 'a brand new passphrase');
      await setUserDisabled(store, { name: 'frank', disabled: true, now: t.now() });
      assert.equal((await me(b)).status, 401);
      assert.equal((await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'frank', password: 'a brand new passphrase' } })).status, 401, 'a disabled user cannot sign in');
    } finally {
      await s.close();
    }
  });

  it('a user changes their own password; admins manage users over the API', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      await user(store, 'grace', 'admin');
      const g = await signIn(s, 'grace');
      const h = { 'x-csrf-token': g.csrf };
      const created = await request(`${s.url}/api/v1/users`, { method: 'POST', cookie: g.cookie, headers: h, body: { name: 'heidi', role: 'approver', password: 'initial passphrase of h' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual([created.body.name, created.body.role, created.body.disabled, 'password_hash' in created.body], ['heidi', 'approver', false, false]);
      assert.equal((await request(`${s.url}/api/v1/users`, { method: 'POST', cookie: g.cookie, headers: h, body: { name: 'heidi', role: 'viewer', password: 'another passphrase' } })).status, 409);
      const weak = await request(`${s.url}/api/v1/users`, { method: 'POST', cookie: g.cookie, headers: h, body: { name: 'ivan', role: 'viewer', password: 'short' } });
      assert.deepEqual([weak.status, weak.body.message], [400, 'a password has at least 12 characters']);
      const listed = await request(`${s.url}/api/v1/users`, { token: s.tokens.admin });
      assert.deepEqual((listed.body.items as { name: string }[]).map((u) => u.name), ['grace', 'heidi']);
      assert.ok(!JSON.stringify(listed.body).includes('scrypt'));

      const heidi = await signIn(s, 'heidi', 'initial passphrase of h');
      assert.equal((await request(`${s.url}/api/v1/users`, { cookie: heidi.cookie })).status, 403, 'an approver does not manage users');
      const change = (current: string) =>
        request(`${s.url}/api/v1/session/password`, { method: 'PUT', cookie: heidi.cookie, headers: { 'x-csrf-token': heidi.csrf }, body: { current, password: 'second passphrase of h' } });
      assert.equal((await change('not my password')).status, 403);
      assert.equal((await change('initial passphrase of h')).status, 204);
      assert.equal((await request(`${s.url}/api/v1/session`, { cookie: heidi.cookie })).status, 401, 'sign in again after a new password');
      await signIn(s, 'heidi', 'second passphrase of h');
      assert.equal((await request(`${s.url}/api/v1/users/heidi/disable`, { method: 'POST', token: s.tokens.admin })).status, 204);
      assert.equal((await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'heidi', password: 'second passphrase of h' } })).status, 401);
      assert.equal((await request(`${s.url}/api/v1/users/nobody/disable`, { method: 'POST', token: s.tokens.admin })).status, 404);
      const adminToken = (await store.db.selectFrom('api_tokens').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow()).id;
      const actions = await store.db.selectFrom('audit_log').select(['actor', 'action', 'target']).where('action', 'in', ['user.create', 'user.password', 'user.disable']).orderBy('id').execute();
      assert.deepEqual(actions, [
        { actor: 'cli', action: 'user.create', target: 'user:grace' },
        { actor: 'user:grace', action: 'user.create', target: 'user:heidi' },
        { actor: 'user:heidi', action: 'user.password', target: 'user:heidi' },
        { actor: `token:${adminToken}`, action: 'user.disable', target: 'user:heidi' },
      ]);
    } finally {
      await s.close();
    }
  });

  it('enforces every role identically for a session and a token on every endpoint', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const doc = (await request(`${s.url}/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
      // signing out and changing one's own password end the session: checked above
      const skip = new Set(['DELETE /api/v1/session', 'PUT /api/v1/session/password', 'POST /api/v1/session']);
      const endpoints = Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '999')}`))
        .filter((e) => !skip.has(e.replace(/999/g, '{id}')) && !skip.has(e));
      assert.ok(endpoints.length >= 20, endpoints.join(', '));
      for (const role of ['viewer', 'approver', 'admin'] as const) {
        await user(store, `${role}-user`, role);
        const c = await signIn(s, `${role}-user`);
        for (const e of endpoints) {
          const [method, path] = e.split(' ');
          const body = method === 'GET' ? undefined : { unknownField: true };
          const byToken = await request(s.url + path, { method, token: s.tokens[role], body });
          const bySession = await request(s.url + path, { method, cookie: c.cookie, headers: { 'x-csrf-token': c.csrf }, body });
          assert.equal(byToken.status === 403, bySession.status === 403, `${role} ${e}: token ${byToken.status}, session ${bySession.status}`);
          assert.notEqual(bySession.status, 401, `${role} ${e}`);
        }
      }
    } finally {
      await s.close();
    }
  });
});
