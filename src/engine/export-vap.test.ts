/**
 * Exported policies give the same answer as the built-in rules they come from: each exported
 * ValidatingAdmissionPolicy and its rule judge the same objects — the fixtures of every exported rule and the
 * 628 workload/RBAC objects of the Kubescape cases — and must agree on every one.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import type { KubeObject, Resource } from '../core/model.js';
import { refOf } from '../core/ref.js';
import type { Rule } from '../core/rule.js';
import { scan } from './scan.js';
import { EXPORTABLE, exportVaps } from './export-vap.js';
import { kubernetesEnv } from '../analysis/cel/env.js';
import { evaluateVaps } from '../analysis/cel/vap/evaluate.js';
import { admissionFor } from '../analysis/cel/vap/request.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from '../analysis/cel/vap/types.js';
import { vapContextFrom } from './vap-rules.js';

const RULES_DIR = new URL('../rules/pod-security/', import.meta.url).pathname;
const KUBESCAPE = new URL('../../testdata/cel/kubescape-vap/derived_cases.jsonl', import.meta.url).pathname;

it('every exported policy agrees with its built-in rule on every object', async () => {
  const ids = Object.keys(EXPORTABLE);
  const rules: Rule[] = await Promise.all(ids.map(async (id) => (await import(`../rules/pod-security/${id}/rule.js`)).default as Rule));
  const objects: Resource[] = [];
  for (const id of ids) {
    for (const f of readdirSync(join(RULES_DIR, id, 'fixtures'))) objects.push(...parseManifestText(readFileSync(join(RULES_DIR, id, 'fixtures', f), 'utf8'), f).resources);
  }
  for (const line of readFileSync(KUBESCAPE, 'utf8').trim().split('\n')) {
    const o = (JSON.parse(line) as { object: KubeObject }).object;
    objects.push({ ref: refOf(o), object: o, source: { file: 'kubescape' } });
  }
  const exported = exportVaps(rules);
  assert.equal(exported.length, ids.length * 2);
  const ctx = vapContextFrom([]);
  ctx.env = kubernetesEnv();
  const disagreements: string[] = [];
  let compared = 0;
  for (const [i, rule] of rules.entries()) {
    const policy = exported[2 * i] as ValidatingAdmissionPolicy;
    const binding = exported[2 * i + 1] as ValidatingAdmissionPolicyBinding;
    const flagged = new Set(scan(objects, { rules: [{ rule, severity: rule.severity, options: rule.defaultOptions ?? {} }], now: new Date('2026-01-01T00:00:00Z') }).findings.map((f) => f.resource));
    for (const r of objects) {
      const out = evaluateVaps([policy], [binding], admissionFor(r.object), ctx);
      const denied = out.decisions.some((d) => d.evaluation === 'deny');
      if (out.decisions.some((d) => d.evaluation === 'error')) disagreements.push(`${rule.id} ${r.ref.kind}/${r.ref.name}: policy error ${out.decisions.map((d) => d.message).join('; ')}`);
      else if (denied !== flagged.has(r.ref)) disagreements.push(`${rule.id} ${r.ref.kind}/${r.ref.name} (${r.source?.file}): rule ${flagged.has(r.ref) ? 'fails' : 'passes'} it, policy ${denied ? 'denies' : 'admits'} it`);
      compared++;
    }
  }
  assert.deepEqual(disagreements, []);
  assert.ok(compared > 3000, `compared ${compared}`);
});
