/**
 * The dashboard end to end in a real browser against a real server: sign in, read the overview, filter and search
 * findings (the filters live in the URL), open a finding and its workload, follow a vulnerability to its images and
 * workloads, request an exception as a viewer, approve it as an approver, see the finding marked excepted, read
 * runtime incidents, sign out; an admin creates and revokes a token in Settings. Every page is screenshotted
 * (.artifacts/dashboard/) and checked by axe-core (no serious or critical violation) and for script errors or
 * Content-Security-Policy violations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Browser, Served } from './support.js';
import { axe, browserMissing, launch, screenshot, seedBaseline, seedGraphs, seedSnapshotScan, seedScan, seedVulnerabilities, serveDashboard, watchProblems } from './support.js';

const missing = browserMissing();

describe('dashboard in Chromium', { skip: missing, timeout: 240_000 }, () => {
  let s: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  before(async () => {
    s = await serveDashboard();
    await seedScan(s, 'prod');
    await seedVulnerabilities(s, 'edge');
    // a real whole-cluster scan first (its compliance scores stay), then the graphs with an image CVE injected
    await seedSnapshotScan(s, 'graphs');
    await seedGraphs(s, 'graphs');
    await seedBaseline(s, 'graphs');
    const incidents = [
      { id: 'i-1', detector: 'shell-in-container', severity: 'high', title: 'Shell started in container admin', firstSeen: '2026-06-01T10:00:00Z', lastSeen: '2026-06-01T10:05:00Z', count: 3, workload: { namespace: 'shop', pod: 'legacy-admin-7f9c-abcde', owner: { kind: 'Deployment', name: 'legacy-admin' }, container: 'admin' } },
      { id: 'i-2', detector: 'unexpected-egress', severity: 'medium', title: 'Connection to an address outside the baseline', firstSeen: '2026-06-02T08:00:00Z', lastSeen: '2026-06-02T08:00:00Z', count: 1, workload: { namespace: 'shop-prod', pod: 'worker-1', owner: { kind: 'Deployment', name: 'worker' }, container: 'worker' } },
    ];
    const r = await fetch(`${s.url}/api/v1/incidents?cluster=prod`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.uploader}`, 'content-type': 'application/x-ndjson' }, body: incidents.map((i) => JSON.stringify(i)).join('\n') + '\n' });
    assert.equal(r.status, 200, await r.text());
    browser = await launch();
    page = await browser.context.newPage();
    problems = watchProblems(page);
  });

  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function check(name: string) {
    await screenshot(page, name);
    const violations = await axe(page);
    assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
    assert.deepEqual(problems, [], name);
  }

  async function signIn(token: string) {
    await page.goto(`${s.url}/findings?severity=critical`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByText('Use an API token instead').click();
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    // back where the link pointed
    await page.waitForURL(/\/findings\?severity=critical$/);
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${s.url}/`);
    await page.waitForURL(/\/login/);
  }

  it('signs in, shows the overview', async () => {
    await page.goto(`${s.url}/`);
    await page.waitForURL(/\/login/);
    await check('login');
    await signIn(s.tokens.viewer);
    // a viewer is not offered what the role may not do, and the API refuses it too
    assert.equal(await page.getByRole('link', { name: 'Settings' }).count(), 0);
    assert.equal((await fetch(`${s.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${s.tokens.viewer}` } })).status, 403);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
    await page.getByRole('rowheader', { name: 'prod' }).waitFor();
    await page.locator('.uplot canvas').first().waitFor();
    // compliance per framework of the whole-cluster scan
    const compliance = page.locator('section[aria-labelledby="compliance-h"] table');
    assert.match(await compliance.getByRole('row', { name: /^graphs/ }).innerText(), /^graphs\s+[\d.]+% \d+\/\d+\s+[\d.]+% \d+\/\d+/);
    assert.deepEqual(await compliance.locator('thead th').allInnerTexts(), ['Cluster', 'CIS', 'MITRE ATT&CK', 'NSA/CISA', 'PSS baseline', 'PSS restricted']);
    // the worst workloads, each a link to its page
    const worst = page.locator('section[aria-labelledby="workloads-h"] tbody tr');
    await worst.first().waitFor();
    assert.ok((await worst.count()) >= 3);
    await check('overview');
    const first = worst.first().getByRole('link');
    const name = (await first.innerText()).split(' ').pop()!.split('/').pop()!;
    await first.click();
    await page.waitForURL(/\/workloads\//);
    await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Worst workloads' }).waitFor();
  });

  it('filters findings on the server with the filters in the URL, searches, sorts worst first', async () => {
    await page.getByRole('link', { name: 'Findings' }).first().click();
    await page.locator('table.findings').waitFor();
    const all = await page.locator('table.findings tbody tr').count();
    await page.getByRole('checkbox', { name: 'high' }).check();
    await page.getByRole('checkbox', { name: 'critical' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/severity=critical%2Chigh|severity=critical,high/);
    await page.locator('table.findings').waitFor();
    const severities = await page.locator('table.findings tbody tr td:first-child').allInnerTexts();
    assert.ok(severities.length > 0 && severities.length < all);
    assert.ok(severities.every((x) => x === 'critical' || x === 'high'));
    // worst first: every critical before every high
    assert.equal(severities.lastIndexOf('critical'), severities.filter((x) => x === 'critical').length - 1);
    // the URL is the view: a fresh load shows the same filters
    await page.reload();
    await page.locator('table.findings').waitFor();
    assert.ok(await page.getByRole('checkbox', { name: 'critical' }).isChecked());
    assert.deepEqual(await page.locator('table.findings tbody tr td:first-child').allInnerTexts(), severities);
    await check('findings-filtered');
    // keyboard: "/" to the search box, type, Enter
    await page.keyboard.press('/');
    await page.keyboard.type('ci-deployer');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=ci-deployer/);
    await page.locator('table.findings').waitFor();
    const objects = await page.locator('table.findings tbody tr td:nth-child(3)').allInnerTexts();
    assert.ok(objects.length > 0 && objects.every((o) => o.includes('ci-deployer')), objects.join('|'));
  });

  it('opens a finding (location, remediation, patch) and its workload', async () => {
    await page.goto(`${s.url}/findings?cluster=prod&ruleId=exposed-dangerous-workload&namespace=shop`);
    await page.locator('table.findings').waitFor();
    // keyboard: j to the first finding, Enter opens it
    await page.locator('h1').click();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'How to fix it' }).waitFor();
    const where = await page.locator('dl.facts').first().innerText();
    assert.match(where, /examples\/manifests\/[^:]+\.yaml:\d+/);
    assert.match(where, /\/spec\/template\/spec\/(init)?[cC]ontainers\/\d+\/securityContext\/privileged/);
    await check('finding');
    await page.getByRole('link', { name: 'Deployment shop/legacy-admin' }).first().click();
    await page.getByRole('heading', { name: 'Deployment shop/legacy-admin', level: 1 }).waitFor();
    await page.locator('table.findings').waitFor();
    assert.ok((await page.locator('table.findings tbody tr').count()) >= 5);
    await page.getByText('Shell started in container admin').waitFor();
    await check('workload');
  });

  it('follows a vulnerability to the images and workloads it reaches', async () => {
    await page.getByRole('link', { name: 'Vulnerabilities' }).click();
    await page.locator('table.advisories').waitFor();
    // worst first: the critical advisory with a published fix, then the high one without
    assert.deepEqual(await page.locator('table.advisories tbody th').allInnerTexts(), ['CVE-2030-0001', 'CVE-2030-0002']);
    await check('vulnerabilities');
    await page.getByRole('combobox', { name: 'Fix' }).selectOption('false');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/fixable=false/);
    await page.locator('table.advisories').waitFor();
    assert.deepEqual(await page.locator('table.advisories tbody th').allInnerTexts(), ['CVE-2030-0002']);
    await page.goto(`${s.url}/vulnerabilities`);
    await page.getByRole('link', { name: 'CVE-2030-0001' }).click();
    // the image behind the LoadBalancer first
    await page.getByRole('heading', { name: 'registry.example/web:1' }).waitFor();
    assert.deepEqual(await page.locator('section h2').allInnerTexts(), ['registry.example/web:1', 'registry.example/batch:2']);
    await page.getByText('fixed in 1.3.1 · most exposed workload: internet').waitFor();
    await check('vulnerability');
    await page.getByRole('link', { name: 'Deployment shop/storefront' }).click();
    await page.getByRole('heading', { name: 'Deployment shop/storefront', level: 1 }).waitFor();
    // the workload's own view: its image vulnerabilities, a published fix first
    await page.locator('table.advisories tbody th').first().waitFor();
    assert.deepEqual(await page.locator('table.advisories tbody th').allInnerTexts(), ['CVE-2030-0001']);
    await check('workload-vulnerabilities');
  });

  it('requests an exception as a viewer, who cannot decide it', async () => {
    await page.goto(`${s.url}/findings?ruleId=exposed-dangerous-workload&namespace=shop&name=legacy-admin`);
    await page.locator('a.open-finding').first().click();
    await page.getByRole('heading', { name: 'Request an exception' }).waitFor();
    await page.getByLabel('Reason (required)').fill('the setup container loads a kernel module; replaced by SEC-7');
    await page.getByLabel('Ticket').fill('SEC-7');
    await page.getByLabel('Expires').fill('2099-12-31');
    await page.getByRole('button', { name: 'Request exception' }).click();
    await page.waitForURL(/\/exceptions\/\d+$/);
    await page.getByText('requested', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    await check('exception-requested');
    // the API refuses the viewer too, not only the page
    const id = page.url().split('/').pop();
    const r = await fetch(`${s.url}/api/v1/exceptions/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.viewer}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 403);
    await signOut();
  });

  it('approves it as an approver; the finding is marked excepted', async () => {
    await signIn(s.tokens.approver);
    await page.getByRole('link', { name: 'Exceptions' }).click();
    await page.getByRole('link', { name: 'Waiting for a decision' }).waitFor();
    await page.locator('table tbody tr').first().getByRole('link').first().click();
    await page.getByLabel('Note (optional)').fill('until SEC-7 ships');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('approved', { exact: true }).waitFor();
    await check('exception-approved');
    await page.goto(`${s.url}/findings?ruleId=exposed-dangerous-workload&namespace=shop&name=legacy-admin`);
    await page.locator('table.findings').waitFor();
    const statuses = await page.locator('table.findings tbody tr td:nth-child(5)').allInnerTexts();
    assert.ok(statuses.length > 0 && statuses.every((x) => x.startsWith('excepted')), statuses.join('|'));
    await page.locator('a.open-finding').first().click();
    await page.getByRole('link', { name: /exception #\d+/ }).waitFor();
  });

  it('shows runtime incidents as a timeline, then signs out', async () => {
    await page.getByRole('link', { name: 'Runtime' }).click();
    await page.getByText('Connection to an address outside the baseline').waitFor();
    await page.locator('.uplot canvas').first().waitFor();
    await check('runtime');
    await signOut();
    // signed out: the API refuses the old page's calls and the page asks for a sign-in
    await page.goto(`${s.url}/exceptions`);
    await page.waitForURL(/\/login\?next=%2Fexceptions/);
  });

  it("draws a namespace's network and follows an attack path from the internet to cluster-admin to the step to cut", async () => {
    await signIn(s.tokens.viewer);
    await page.getByRole('link', { name: 'Network' }).click();
    await page.getByRole('combobox', { name: /^Cluster/ }).selectOption('graphs');
    await page.getByRole('combobox', { name: /^Namespace/ }).selectOption('shop');
    await page.waitForURL(/\/network\?(cluster=graphs&)?namespace=shop$/);
    const row = (from: string, to: string) => page.locator('section[aria-labelledby="graph-h"] table.edges').getByRole('row', { name: new RegExp(`^${from} ${to}( |$)`) });
    await row('Deployment web', 'Deployment api').waitFor();
    assert.match(await row('Deployment api', 'Deployment db').innerText(), /5432/);
    assert.equal(await row('Deployment web', 'Deployment db').count(), 0, 'only api may reach db');
    await row('the internet', 'Deployment web').waitFor();
    await page.getByText(/Deployment web via Service\/LoadBalancer/).waitFor();
    await page.locator('.graph canvas').first().waitFor();
    // observed (runtime baseline) beside allowed: other/client was seen reaching db, which no policy allows
    const seen = page.locator('section[aria-labelledby="observed-h"]');
    assert.match(await seen.getByRole('row', { name: /^namespace other Deployment db/ }).innerText(), /TCP 5432\s+no$/);
    assert.match(await seen.getByRole('row', { name: /^Deployment web api\.stripe\.com/ }).innerText(), /TCP 443\s+not in the graph$/);
    await page.getByText(/A blue dotted arrow \("seen"\) is a connection the runtime baseline observed \(1234 events/).waitFor();
    await check('network');

    // a proposed policy, pasted: db admits web instead of api (same name: it replaces the cluster's)
    const proposal = page.locator('section[aria-labelledby="proposal-h"]');
    await proposal.getByLabel(/NetworkPolicy YAML or JSON/).fill(
      ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: db-from-api}', 'spec:', '  podSelector: {matchLabels: {app: db}}', '  policyTypes: [Ingress]', '  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{protocol: TCP, port: 5432}]}]'].join('\n'),
    );
    await proposal.getByRole('button', { name: 'What would it change?' }).click();
    await proposal.getByText(/shop\/db-from-api \(replaces the one in the cluster\): 1 connection\(s\) gained, 1 lost/).waitFor();
    assert.match(await proposal.getByRole('table', { name: /^Gained/ }).innerText(), /Deployment shop\/web\s+Deployment shop\/db\s+TCP 5432/);
    assert.match(await proposal.getByRole('table', { name: /^Lost/ }).innerText(), /Deployment shop\/api\s+Deployment shop\/db\s+TCP 5432/);
    await page.getByText(/a green dashed arrow is a connection it adds/).waitFor();
    await check('network-proposal');

    // the workload's own page: what can reach it, and the attack path through it
    await page.goto(`${s.url}/workloads/graphs/shop/Deployment/web`);
    const reach = page.locator('section[aria-labelledby="reach-h"]');
    await reach.getByText('the internet:').waitFor();
    await reach.getByText('namespace other:').first().waitFor();
    await reach.getByRole('link', { name: 'the internet → cluster-admin' }).waitFor();
    // its service account's power (bound to cluster-admin) and its runtime baseline
    const access = page.locator('section[aria-labelledby="access-h"]');
    await access.getByText(/Runs as service account shop\/web/).waitFor();
    await access.getByRole('row', { name: /cluster-wide do anything \(every verb on every resource\) ClusterRoleBinding\/web-admin/ }).waitFor();
    await access.locator('ul.escalation').getByText(/^critical to cluster-admin/).first().waitFor();
    const base = page.locator('section[aria-labelledby="baseline-h"]');
    await base.getByText('Locked: what it lacks is reported as a deviation.').waitFor();
    await base.getByText('/usr/bin/node server.js').waitFor();
    await check('workload-reach');
    // a workload the baseline does not name, and one with no account power: said plainly
    await page.goto(`${s.url}/workloads/graphs/shop/Deployment/api`);
    await page.locator('section[aria-labelledby="baseline-h"]').getByText(/None recorded: the cluster's baseline .* has no entry for this workload/).waitFor();
    await page.locator('section[aria-labelledby="access-h"]').getByText(/^No dangerous ability/).waitFor();
    await check('workload-context-none');

    await page.getByRole('link', { name: 'Attack paths' }).click();
    await page.getByRole('combobox', { name: /^Cluster/ }).selectOption('graphs');
    const path = page.locator('ol.paths > li').filter({ hasText: /the internet → cluster-admin/ }).first();
    await path.waitFor();
    // each step explained, with its MITRE technique; the step the cut removes is marked
    await path.getByText('T1190 Exploit Public-Facing Application').first().waitFor();
    await path.getByText('T1528 Steal Application Access Token').first().waitFor();
    assert.ok((await path.locator('li.cut').count()) >= 1);
    await path.getByText(/^Cut here: /).first().waitFor();
    await page.locator('section[aria-labelledby="cut-h"] li').first().waitFor();
    await page.locator('.graph canvas').first().waitFor();
    await check('attack-paths');
    // keyboard: the path's button is reachable and pressed
    await path.getByRole('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await path.getByRole('button').getAttribute('aria-pressed'), 'true');
    await signOut();
  });

  it('lets an admin create a token (shown once) and revoke it in Settings', async () => {
    await signIn(s.tokens.admin);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('table.tokens').waitFor();
    const form = page.getByRole('form', { name: 'New token' });
    await form.getByLabel('Name').fill('ci-e2e');
    await form.getByLabel('Role').selectOption('uploader');
    await page.getByLabel('Only for cluster').fill('prod');
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = (await page.getByLabel('New token value').innerText()).trim();
    assert.match(value, /^kgt_/);
    await page.getByRole('rowheader', { name: 'ci-e2e' }).waitFor();
    await check('settings');
    const effective = () => fetch(`${s.url}/api/v1/exceptions/effective?cluster=prod`, { headers: { authorization: `Bearer ${value}` } }).then((r) => r.status);
    assert.equal(await effective(), 200);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke token ci-e2e' }).click();
    await page.getByRole('row', { name: /ci-e2e/ }).getByText(/^revoked /).waitFor();
    assert.equal(await effective(), 401);
    await signOut();
  });

  async function signInWithPassword(name: string, password: string) {
    await page.goto(`${s.url}/login`);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  it('signs users in with a password; an admin creates, resets and disables them in Settings; a user changes their own', async () => {
    const created = await fetch(`${s.url}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ada', role: 'admin', password: 'correct horse battery' }) });
    assert.equal(created.status, 201, await created.text());
    await signInWithPassword('ada', 'correct horse battery');
    await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('table.users').waitFor();
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('User role').selectOption('viewer');
    await page.getByLabel('First password').fill('first secret phrase');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('rowheader', { name: 'bob' }).waitFor();
    await page.getByRole('heading', { name: 'Your password' }).waitFor();
    await check('settings-users');
    await signOut();

    // bob: a viewer with a password sees Settings for his own password only, and changes it
    await signInWithPassword('bob', 'first secret phrase');
    await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Current password').fill('first secret phrase');
    await page.getByLabel('New password').fill('second secret phrase');
    assert.equal(await page.locator('table.users, table.tokens').count(), 0, 'a viewer is not shown users or tokens');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password was changed').waitFor();
    await signInWithPassword('bob', 'first secret phrase');
    await page.getByText('Those credentials were not accepted.').waitFor();
    await signInWithPassword('bob', 'second secret phrase');
    await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
    const bobsCookies = await browser.context.cookies();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);

    // ada disables bob (his sign-in is refused), then sets a new password and enables him again
    await signInWithPassword('ada', 'correct horse battery');
    await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Disable bob' }).click();
    await page.getByRole('row', { name: /bob/ }).getByRole('cell', { name: 'disabled', exact: true }).waitFor();
    const asBob = await fetch(`${s.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: 'second secret phrase' }) });
    assert.equal(asBob.status, 401, 'a disabled user cannot sign in');
    await page.getByRole('button', { name: 'Set a new password for bob' }).click();
    await page.getByRole('textbox', { name: 'New password for bob' }).fill('third secret phrase');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('New password set for bob').waitFor();
    await page.getByRole('button', { name: 'Enable bob' }).click();
    await page.getByRole('row', { name: /bob/ }).getByRole('cell', { name: 'active', exact: true }).waitFor();
    await signOut();
    await signInWithPassword('bob', 'second secret phrase');
    await page.getByText('Those credentials were not accepted.').waitFor();
    await signInWithPassword('bob', 'third secret phrase');
    await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
    assert.ok(bobsCookies.some((c) => c.httpOnly && c.sameSite === 'Strict'), 'the session cookie is HttpOnly and SameSite=Strict');
    await signOut();
  });
});
