/**
 * Issue 14, case 1: an object's own `kubeguard.io/ignore` annotation never switches the webhook off by itself.
 * At admission (and for `scan --cluster` / `--snapshot`) config decides where it counts — namespaces, rules, never a
 * critical finding — and every suppression is logged and returned as a warning; in files it counts by default,
 * like an inline lint-disable in a reviewed repository, under the same rules-and-never-critical policy.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../core/model.js';
import type { KubeguardConfig } from '../engine/config.js';
import { admissionReview, asReply, startTestWebhook } from '../admission/test-support/harness.js';
import type { TestWebhook } from '../admission/test-support/harness.js';
import { hardenedPodSpec, pod } from '../admission/test-support/objects.js';
import { scanInProcess } from './test-support/in-process.js';

/** A hostPID pod (pss-host-namespaces, high), privileged too when asked (pss-privileged, critical), annotated. */
function annotatedPod(namespace: string, annotation: string, privileged = false): KubeObject {
  const spec: Record<string, unknown> = { ...hardenedPodSpec(), hostPID: true };
  if (privileged) {
    const c = (spec.containers as Record<string, unknown>[])[0];
    c.securityContext = { ...(c.securityContext as object), privileged: true, allowPrivilegeEscalation: true };
  }
  const p = pod(spec, 'agent', namespace);
  p.metadata!.annotations = { 'kubeguard.io/ignore': annotation };
  return p;
}

const LIVE: KubeguardConfig = { annotationExceptions: { live: { namespaces: ['legacy-*'], rules: ['pss-host-namespaces'] } } };

describe('case 1: annotation suppression at admission', () => {
  let plain: TestWebhook;
  let governed: TestWebhook;
  before(async () => {
    [plain, governed] = await Promise.all([startTestWebhook(), startTestWebhook(LIVE)]);
  });
  after(() => Promise.all([plain.close(), governed.close()]));

  it('case 1: by default a privileged hostPID Pod annotated "*: whatever" is denied, with a warning and a log line', async () => {
    for (const annotation of ['*: whatever', 'pss-privileged,pss-host-namespaces: whatever']) {
      const reply = asReply(await plain.post('/validate', admissionReview(annotatedPod('shop', annotation, true)))).response;
      assert.equal(reply.allowed, false, annotation);
      assert.match(reply.status?.message ?? '', /pss-privileged/);
      assert.match(reply.status?.message ?? '', /pss-host-namespaces/);
      assert.ok(reply.warnings?.some((w) => /not honoured for pss-host-namespaces: annotations do not suppress findings of objects from a cluster in namespace "shop"/.test(w)), JSON.stringify(reply.warnings));
    }
    const line = plain.logs.find((l) => l.msg === 'exceptions at admission');
    assert.ok(line, 'logged');
    assert.ok((line.refused as string[]).some((r) => r.startsWith('pss-privileged')));
  });

  it('case 1: config may allow it for some namespaces and rules; each suppression is then logged, counted and returned as a warning', async () => {
    const allowed = asReply(await governed.post('/validate', admissionReview(annotatedPod('legacy-billing', 'pss-host-namespaces: legacy agent, SEC-7')))).response;
    assert.equal(allowed.allowed, true);
    assert.ok(allowed.warnings?.some((w) => /pss-host-namespaces suppressed by the object's kubeguard\.io\/ignore annotation .*: legacy agent, SEC-7/.test(w)), JSON.stringify(allowed.warnings));
    assert.ok(governed.logs.some((l) => l.msg === 'exceptions at admission' && (l.suppressed as string[]).some((s) => s.startsWith('pss-host-namespaces (annotation'))));
    const metrics = await governed.get('/metrics');
    assert.match(metrics.text, /kubeguard_admission_suppressed_total\{rule="pss-host-namespaces",source="annotation"\} 1/);
    // another namespace: not allowed
    assert.equal(asReply(await governed.post('/validate', admissionReview(annotatedPod('shop', 'pss-host-namespaces: x')))).response.allowed, false);
  });

  it('case 1: a critical finding is never suppressed by the annotation, whatever config allows', async () => {
    const hook = await startTestWebhook({ annotationExceptions: { live: { namespaces: ['*'], rules: ['*'] } } });
    try {
      const reply = asReply(await hook.post('/validate', admissionReview(annotatedPod('legacy-billing', '*: whatever', true)))).response;
      assert.equal(reply.allowed, false);
      assert.match(reply.status?.message ?? '', /pss-privileged/);
      assert.doesNotMatch(reply.status?.message ?? '', /pss-host-namespaces/, 'the high finding is suppressed as config allows');
      assert.ok(reply.warnings?.some((w) => /not honoured for pss-privileged: a critical finding is never suppressed/.test(w)));
    } finally {
      await hook.close();
    }
  });
});

describe('case 1: the same policy for scan --snapshot, and files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kg-hostile-annotations-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  interface Report {
    findings: { ruleId: string }[];
    suppressed: { ruleId: string; source: string }[];
    refusedExceptions: { ruleId: string; refused: string }[];
  }
  const ids = (r: Report) => r.findings.map((f) => f.ruleId).filter((id) => id === 'pss-privileged' || id === 'pss-host-namespaces').sort();

  it('case 1: a snapshot (live objects) does not honour the annotation by default; config decides as at admission', async () => {
    const snapshot = join(dir, 'dump.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [annotatedPod('legacy-billing', '*: whatever', true)] }));
    const plain = JSON.parse((await scanInProcess(['--snapshot', snapshot])).output) as Report;
    assert.deepEqual(ids(plain), ['pss-host-namespaces', 'pss-privileged']);
    assert.ok(['pss-host-namespaces', 'pss-privileged'].every((id) => plain.refusedExceptions.some((r) => r.ruleId === id)));
    const config = join(dir, 'kubeguard.yaml');
    writeFileSync(config, 'annotationExceptions:\n  live:\n    namespaces: [legacy-*]\n    rules: [pss-host-namespaces]\n');
    const governed = JSON.parse((await scanInProcess(['--config', config, '--snapshot', snapshot])).output) as Report;
    assert.deepEqual(ids(governed), ['pss-privileged']);
    assert.deepEqual(governed.suppressed.map((s) => [s.ruleId, s.source]), [['pss-host-namespaces', 'annotation']]);
  });

  it('case 1: in files the annotation counts by default (not for critical findings), and config can narrow or close it', async () => {
    const file = join(dir, 'pod.json');
    writeFileSync(file, JSON.stringify(annotatedPod('shop', '*: whatever', true)));
    const byDefault = JSON.parse((await scanInProcess([file])).output) as Report;
    assert.deepEqual(ids(byDefault), ['pss-privileged']);
    assert.match(byDefault.refusedExceptions.find((r) => r.ruleId === 'pss-privileged')?.refused ?? '', /critical finding is never suppressed/);
    const config = join(dir, 'closed.yaml');
    writeFileSync(config, 'annotationExceptions:\n  files:\n    rules: []\n');
    assert.deepEqual(ids(JSON.parse((await scanInProcess(['--config', config, file])).output) as Report), ['pss-host-namespaces', 'pss-privileged']);
  });
});
