/**
 * Reads policy tests for `kubeguard policy test DIR`: every `kubeguard-test.yaml` (or `kyverno-test.yaml`, whose
 * ValidatingAdmissionPolicy results use the same fields) under DIR, with the policy and resource files it names
 * (paths relative to the test file). Bounded: at most MAX_TESTS test files, searched at most MAX_DEPTH deep.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import yaml from 'js-yaml';
import type { ScanError } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { loadPaths } from '../files/load.js';
import { SKIPPED_DIRS } from '../files/classify.js';
import { OUTCOMES, type ExpectedResult, type Outcome, type PolicyTest } from '../../engine/policy-test.js';

export const TEST_FILES = ['kubeguard-test.yaml', 'kyverno-test.yaml'];
const MAX_TESTS = 1000;
const MAX_DEPTH = 12;
const MAX_TEST_BYTES = 1024 * 1024;

export interface LoadedTests {
  tests: PolicyTest[];
  errors: ScanError[];
}

function findTestFiles(dir: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH || out.length >= MAX_TESTS) return;
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory() && !SKIPPED_DIRS.has(name)) findTestFiles(full, depth + 1, out);
    else if (st.isFile() && TEST_FILES.includes(name)) out.push(full);
  }
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

export function loadPolicyTests(root: string): LoadedTests {
  const out: LoadedTests = { tests: [], errors: [] };
  const st = statSync(root, { throwIfNoEntry: false });
  if (!st) {
    out.errors.push({ kind: 'read', file: root, message: 'no such file or directory' });
    return out;
  }
  const files: string[] = [];
  if (st.isFile()) files.push(root);
  else findTestFiles(root, 0, files);
  for (const file of files) {
    const fail = (message: string): void => void out.errors.push({ kind: 'parse', file, message });
    let doc: Record<string, unknown>;
    try {
      if (statSync(file).size > MAX_TEST_BYTES) {
        fail(`test file larger than ${MAX_TEST_BYTES} bytes`);
        continue;
      }
      doc = yaml.load(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      fail(`not a readable YAML test: ${errorMessage(e)}`);
      continue;
    }
    if (!doc || typeof doc !== 'object' || doc.kind !== 'Test') {
      fail('not a Test (kind: Test with policies, resources and results)');
      continue;
    }
    const policies = strings(doc.policies);
    const resources = strings(doc.resources);
    if (!policies || !resources || !Array.isArray(doc.results)) {
      fail('a Test needs policies and resources (lists of files) and results');
      continue;
    }
    const results: ExpectedResult[] = [];
    for (const [i, r] of (doc.results as unknown[]).entries()) {
      const e = r as Record<string, unknown>;
      const names = strings(e?.resources) ?? (typeof e?.resource === 'string' ? [e.resource] : undefined);
      if (typeof e?.policy !== 'string' || !names || !OUTCOMES.includes(e.result as Outcome)) {
        fail(`results[${i}] needs policy, resources and result (${OUTCOMES.join('|')})`);
        continue;
      }
      results.push({ policy: e.policy, resources: names, kind: typeof e.kind === 'string' ? e.kind : undefined, result: e.result as Outcome });
    }
    const base = dirname(file);
    const p = loadPaths(policies.map((f) => join(base, f)));
    const r = loadPaths(resources.map((f) => join(base, f)));
    out.errors.push(...p.errors, ...r.errors);
    const meta = doc.metadata as { name?: unknown } | undefined;
    out.tests.push({ name: typeof meta?.name === 'string' ? meta.name : (typeof doc.name === 'string' ? doc.name : relative(root, file) || file), file, policies: p.resources, resources: r.resources, results });
  }
  return out;
}
