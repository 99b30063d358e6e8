/** `kubeguard runtime analyze|baseline` as users run them: a child process, exit codes, stdout/stderr. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeguard } from '../test-support/run-cli.js';
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../../test-support/conformance.js';
import { testdataPath, readTestdata } from '../../test-support/testdata.js';
import { parseBaseline } from '../../sources/events/baseline-file.js';

const falcoDocs = testdataPath('falco-events', 'docs-examples.jsonl');
const trace = (f: string) => testdataPath('k8s-audit', 'falco-trace-files', f);

describe('runtime analyze', () => {
  it('prints the issue\'s JSON contract: incidents with ruleId, severity, workload, count, times, evidence, context; events read/skipped', () => {
    const r = kubeguard(['runtime', 'analyze', falcoDocs, trace('exec_pod.json'), trace('fal_01_003.json'), '--format', 'json', '--fail-on', 'critical']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['incidents', 'events']);
    assert.deepEqual(out.events, { read: 7, skipped: 1 });
    for (const i of out.incidents) {
      assert.deepEqual(Object.keys(i), ['ruleId', 'severity', 'workload', 'count', 'firstSeen', 'lastSeen', 'evidence', 'context']);
      assert.ok(i.evidence.length > 0 && i.evidence.every((e: { v: number }) => e.v === 1), 'evidence in the wire form');
      assert.equal(typeof i.context.message, 'string');
    }
    const exec = out.incidents.find((i: { ruleId: string }) => i.ruleId === 'audit-exec-attach');
    assert.deepEqual(exec.workload, { namespace: 'default', name: 'nginx-deployment', pod: 'nginx-deployment-7998647bdf-phvq7' });
    assert.match(r.stderr, /skipped 1 record\(s\): 1 unknown format/);
    assert.match(r.stderr, /fal_01_003\.json:1: unknown format/);
  });

  it('evidence replays: the JSON evidence of one run is input for another and gives the same incidents', () => {
    const first = JSON.parse(kubeguard(['runtime', 'analyze', falcoDocs, '--format', 'json', '--fail-on', 'critical']).stdout);
    const evidence = first.incidents.flatMap((i: { evidence: unknown[] }) => i.evidence).map((e: unknown) => JSON.stringify(e)).join('\n');
    const again = JSON.parse(kubeguard(['runtime', 'analyze', '-', '--format', 'json', '--fail-on', 'critical'], evidence).stdout);
    const summary = (o: { incidents: { ruleId: string; count: number; firstSeen: string }[] }) => o.incidents.map((i) => `${i.ruleId} ${i.count} ${i.firstSeen}`).sort();
    assert.deepEqual(summary(again), summary(first));
  });

  it('exits 1 when an incident is at or above --fail-on, 0 below it; reads gzip; 3 when a file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-runtime-'));
    try {
      const gz = join(dir, 'audit.log.gz');
      writeFileSync(gz, gzipSync(readTestdata('k8s-audit', 'falco-trace-files', 'create_nginx_pod_privileged.json')));
      const high = kubeguard(['runtime', 'analyze', gz]);
      assert.equal(high.code, 1, high.stderr);
      assert.match(high.stdout, /HIGH +audit-privileged-pod +Deployment default\/nginx-deployment/);
      assert.equal(kubeguard(['runtime', 'analyze', gz, '--fail-on', 'critical']).code, 0);
      const missing = kubeguard(['runtime', 'analyze', gz, join(dir, 'nope.jsonl')]);
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /cannot read .*nope\.jsonl: ENOENT/);
      const empty = join(dir, 'empty.jsonl');
      writeFileSync(empty, '');
      assert.equal(kubeguard(['runtime', 'analyze', empty]).code, 0, 'an empty input is no incident, and complete');
      assert.match(kubeguard(['runtime', 'analyze', '/dev/null']).stderr, /\/dev\/null is not a regular file/, 'a device is refused');
      const notEvents = join(dir, 'x.jsonl');
      writeFileSync(notEvents, '{"hello": "world"}\nnot json\n');
      assert.equal(kubeguard(['runtime', 'analyze', notEvents]).code, 3, 'nothing readable in a non-empty input: incomplete');
      assert.equal(kubeguard(['runtime', 'analyze', dir]).code, 3, 'a directory is refused');
      assert.equal(kubeguard(['runtime', 'analyze', gz, '--format', 'xml']).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('config exceptions (reason, owner, expiry) apply to detections; an expired one no longer does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-runtime-'));
    try {
      const config = (expires: string) => {
        const f = join(dir, `kubeguard-${expires}.yaml`);
        writeFileSync(f, `exceptions:\n  - rules: [runtime-shell-in-container]\n    namespaces: [default]\n    names: [alpine]\n    reason: debugging pod of the platform team\n    owner: platform\n    expires: ${expires}\n`);
        return f;
      };
      const count = (file: string) => JSON.parse(kubeguard(['runtime', 'analyze', falcoDocs, '--format', 'json', '--config', file, '--fail-on', 'critical']).stdout).incidents.filter((i: { ruleId: string }) => i.ruleId === 'runtime-shell-in-container').length;
      assert.equal(count(config('2030-01-01')), 1, 'alpine excepted, kubecon still reported');
      // the alpine shells are from April and July 2021: an exception that expired in June covers the first only
      const r = kubeguard(['runtime', 'analyze', falcoDocs, '--config', config('2021-06-01'), '--fail-on', 'critical']);
      assert.match(r.stderr, /exception runtime-shell-in-container \(debugging pod of the platform team, owner platform, expires 2021-06-01\): suppressed 1; expired for 1 later detection/);
      assert.equal(count(config('2020-01-01')), 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime baseline', () => {
  it('learn → show → lock → analyze: a locked workload reports what its baseline lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-baseline-'));
    try {
      const fixtures = join(testdataPath('..'), 'src', 'rules', 'runtime', 'runtime-baseline-deviation', 'fixtures');
      const file = join(dir, 'baseline.yaml');
      const learn = kubeguard(['runtime', 'baseline', 'learn', join(fixtures, 'learn-normal.jsonl'), '-o', file]);
      assert.equal(learn.code, 0, learn.stderr);
      assert.match(learn.stderr, /learnt 1 workload\(s\) from 5 event\(s\) .* \(not locked/);
      const text = readFileSync(file, 'utf8');
      assert.match(text, /^# kubeguard runtime baseline/);
      const b = parseBaseline(text, file);
      assert.equal(b.locked, false);
      assert.deepEqual(b.workloads[0].containers.nginx.processes, ['/bin/sh -c /docker-entrypoint.sh', '/usr/sbin/nginx -g daemon off;']);
      assert.deepEqual(b.workloads[0].containers.nginx.http, ['GET /products/*']);
      const show = kubeguard(['runtime', 'baseline', 'show', file, '--workload', 'shop/web', '--format', 'json']);
      assert.equal(JSON.parse(show.stdout).workloads.length, 1);
      assert.equal(kubeguard(['runtime', 'baseline', 'show', file, '--workload', 'shop/nope']).code, 2);
      const unlocked = JSON.parse(kubeguard(['runtime', 'analyze', join(fixtures, 'fail-new-behaviour.jsonl'), '--baseline', file, '--format', 'json']).stdout);
      assert.deepEqual(unlocked.incidents, [], 'an unlocked baseline reports nothing');
      assert.equal(kubeguard(['runtime', 'baseline', 'lock', file]).code, 0);
      assert.equal(parseBaseline(readFileSync(file, 'utf8'), file).locked, true);
      const locked = JSON.parse(kubeguard(['runtime', 'analyze', join(fixtures, 'fail-new-behaviour.jsonl'), '--baseline', file, '--format', 'json']).stdout);
      assert.deepEqual(locked.incidents.map((i: { ruleId: string; count: number }) => `${i.ruleId} ${i.count}`).sort(), ['runtime-baseline-deviation 4', 'runtime-external-egress 1']);
      const same = JSON.parse(kubeguard(['runtime', 'analyze', join(fixtures, 'pass-same-behaviour.jsonl'), '--baseline', file, '--format', 'json']).stdout);
      assert.deepEqual(same.incidents, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a broken baseline file is a usage error naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-baseline-'));
    try {
      const file = join(dir, 'b.yaml');
      writeFileSync(file, 'apiVersion: kubeguard.io/v1\nkind: RuntimeBaseline\nworkloads:\n  - namespace: shop\n    workload: web\n    containers:\n      web:\n        processes: 7\n');
      const r = kubeguard(['runtime', 'analyze', falcoDocs, '--baseline', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /baseline .*b\.yaml: workloads\[0\]\.containers\.web\.processes must be a list of strings/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime serve', () => {
  it('as a process: listens, reads a Falco alert posted by http_output, prints incident updates, stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-serve-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'a-token\n');
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'runtime', 'serve', '--port', '0', '--host', '127.0.0.1', '--token-file', tokenFile], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+) \(sinks: stdout\)/.exec(stderr);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const alert = readTestdata('falco-events', 'docs-examples.jsonl').split('\n')[0];
      const res = await fetch(`http://127.0.0.1:${port}/falco`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer a-token' }, body: alert });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { read: 1, skipped: 0 });
      const unauthorized = await fetch(`http://127.0.0.1:${port}/falco`, { method: 'POST', body: alert });
      assert.equal(unauthorized.status, 401);
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      const updates = stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(updates.map((u: { state: string; incident: { ruleId: string } }) => `${u.state} ${u.incident.ruleId}`), ['open runtime-shell-in-container', 'closed runtime-shell-in-container']);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--upload: needs --cluster-name and an uploader token (file or $KUBEGUARD_TOKEN, never a flag); its flags go together', () => {
    const serve = ['runtime', 'serve', '--port', '0', '--quiet'];
    const cases: [string[], RegExp][] = [
      [['--upload', 'http://127.0.0.1:9'], /--upload needs --cluster-name NAME/],
      [['--upload', 'http://127.0.0.1:9', '--cluster-name', 'prod'], /--upload needs --upload-token-file FILE or \$KUBEGUARD_TOKEN/],
      [['--cluster-name', 'prod'], /--cluster-name and --upload-token-file go with --upload/],
      [['--upload', 'ftp://x', '--cluster-name', 'prod', '--upload-token-file', '/dev/null'], /--upload-token-file: \/dev\/null is empty/],
    ];
    for (const [args, message] of cases) {
      const r = kubeguard([...serve, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});

