/** `kubeguard netpol …` in process: real files through the project loader, output through --output. */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { parsePortArg, registerNetpol } from './netpol.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeguard-netpol-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const workloads = file('workloads.yaml', `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080, name: http }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec:
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: postgres, ports: [{ containerPort: 5432 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 443, targetPort: http }] }
`);
const oldPolicies = file('old.yaml', `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }] }]
`);
const newPolicies = file('new.yaml', `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 5432 }] }]
`);
const flows = file('flows.jsonl', '{"src":"shop/web","dst":"shop/db","port":5432}\n{"src":"shop/web","dst":"shop/db","port":6379}\n');

async function run(...args: string[]): Promise<{ out: string; code: number }> {
  const output = join(dir, `out-${Math.random().toString(36).slice(2)}.txt`);
  const program = new Command().exitOverride();
  registerNetpol(program);
  await program.parseAsync(['netpol', ...args, '--output', output, '--quiet'], { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  return { out: readFileSync(output, 'utf8'), code };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('kubeguard netpol', () => {
  it('reach: allowed with the deciding policy, exit 0; denied exit 1', async () => {
    const ok = await run('reach', '-f', workloads, '-f', oldPolicies, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '-o', 'json');
    assert.equal(ok.code, 0);
    const r = JSON.parse(ok.out);
    assert.deepEqual([r.allowed, r.ingress, r.egress], [true, { isolated: true, allowedBy: ['shop/db'] }, { isolated: false, allowedBy: [] }]);
    const no = await run('reach', '-f', workloads, '-f', newPolicies, '--from-cidr', '8.8.8.8', '--to', 'shop/db', '--port', '5432/TCP');
    assert.equal(no.code, 1);
    assert.match(no.out, /^DENIED: 8\.8\.8\.8\/32 -> shop\/db on 5432\/TCP/);
  });

  it('matrix in every format', async () => {
    const t = await run('matrix', workloads, newPolicies);
    assert.ok(t.out.split('\n').includes('shop/web[Deployment] => shop/db[Deployment] : TCP 5432'));
    assert.match((await run('matrix', workloads, newPolicies, '-o', 'dot')).out, /^digraph netpol/);
    assert.ok(JSON.parse((await run('matrix', workloads, newPolicies, '-o', 'json')).out).connections.length > 0);
  });

  it('isolation and exposure', async () => {
    assert.match((await run('isolation', workloads, newPolicies)).out, /shop\/web\[Deployment\] {2}ingress: OPEN/);
    const e = JSON.parse((await run('exposure', workloads, newPolicies, '-o', 'json')).out);
    assert.equal(e.routes[0].via, 'Service/LoadBalancer shop/web');
    assert.equal(e.routes[0].admitted, 'yes');
  });

  it('diff: newly denied connections, exit 1 on change', async () => {
    const d = await run('diff', oldPolicies, newPolicies, '-f', workloads, '-o', 'json');
    assert.equal(d.code, 1);
    const r = JSON.parse(d.out);
    assert.equal(r.newlyAllowed.length, 0);
    assert.ok(r.newlyDenied.some((c: { src: string; dst: string }) => c.src === 'shop/web[Deployment]' && c.dst === 'shop/db[Deployment]'));
    assert.equal((await run('diff', oldPolicies, oldPolicies, '-f', workloads)).code, 0);
  });

  it('generate then simulate: the generated set lets the observed flows through', async () => {
    const g = await run('generate', '--flows', flows, '-f', workloads);
    const docs = parseAllDocuments(g.out).map((d) => d.toJS() as { kind: string });
    assert.ok(docs.length >= 2 && docs.every((d) => d.kind === 'NetworkPolicy'));
    const generated = file('generated.yaml', g.out);
    const s = await run('simulate', '--flows', flows, generated, '-f', workloads, '-o', 'json');
    assert.equal(s.code, 0);
    assert.equal(JSON.parse(s.out).summary.blocked, 0);
    const blocked = await run('simulate', '--flows', flows, newPolicies, '-f', workloads);
    assert.equal(blocked.code, 1);
    assert.match(blocked.out, /BLOCK {2}shop\/web -> shop\/db TCP\/6379/);
  });

  it('usage errors', async () => {
    await assert.rejects(run('reach', workloads, '--from', 'shop/nope', '--to', 'shop/db'), UsageError);
    await assert.rejects(run('reach', workloads, '--to', 'shop/db'), UsageError);
    assert.throws(() => parsePortArg('70000'), UsageError);
    assert.deepEqual(parsePortArg('53/udp'), { port: 53, protocol: 'UDP' });
  });
});
