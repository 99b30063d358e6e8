/**
 * kube-bench's end-to-end expectation reproduced: integration/testdata/Expected_output.data is what kube-bench prints
 * on kind `kindest/node:v1.21.1` with benchmark cis-1.20 (67 PASS / 11 FAIL / 45 WARN). The node is described in
 * testdata/kube-bench/kind-v1.21.1-node.yaml from kubeadm's and kind's defaults (see its header); every check must get
 * kube-bench's state, id by id, and the totals must match the expected summary.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { readTestdata } from '../../../test-support/testdata.js';
import { loadBenchmark } from './benchmarks.js';
import { memoryFacts, type MemoryFile } from './memory-facts.js';
import { runControls } from './run.js';

interface NodeSpec {
  processes: { cmdline: string }[];
  files: Record<string, { mode: string; user?: string; group?: string; text?: string }>;
}

it('reproduces kube-bench’s cis-1.20 result on kind v1.21.1, check by check (67 PASS / 11 FAIL / 45 WARN)', () => {
  const expectedText = readTestdata('kube-bench', 'Expected_output.data');
  const expected = new Map<string, string>();
  for (const m of expectedText.matchAll(/^\[(PASS|FAIL|WARN)\] (\S+) /gm)) expected.set(m[2], m[1]);
  const total = /== Summary total ==\n(\d+) checks PASS\n(\d+) checks FAIL\n(\d+) checks WARN/.exec(expectedText);
  assert.ok(total, 'the summary of Expected_output.data');
  assert.deepEqual([Number(total[1]), Number(total[2]), Number(total[3])], [67, 11, 45]);

  const spec = yaml.load(readTestdata('kube-bench', 'kind-v1.21.1-node.yaml')) as NodeSpec;
  const files: Record<string, MemoryFile> = {};
  for (const [p, f] of Object.entries(spec.files)) files[p] = { ...f, mode: parseInt(f.mode, 8) };
  const facts = memoryFacts({ processes: spec.processes.map((p) => ({ argv: p.cmdline.split(" ") })), files, description: 'kind v1.21.1 control-plane node' });
  const bench = loadBenchmark('cis-1.20');
  const results = runControls(bench.files, bench.config, facts);

  const mismatches = results.filter((r) => r.kubeBench !== expected.get(r.id)).map((r) => `${r.id}: ours ${r.kubeBench} (${r.status}: ${r.evidence}) — kube-bench ${expected.get(r.id)}`);
  assert.deepEqual(mismatches, []);
  assert.equal(results.length, expected.size);
  const count = (s: string) => results.filter((r) => r.kubeBench === s).length;
  assert.deepEqual([count('PASS'), count('FAIL'), count('WARN')], [67, 11, 45]);
  // Ours: kube-bench's PASS and FAIL stand; its WARNs are manual reviews here (nothing could not be evaluated).
  assert.deepEqual([results.filter((r) => r.status === 'PASS').length, results.filter((r) => r.status === 'FAIL').length, results.filter((r) => r.status === 'MANUAL').length], [67, 11, 45]);
});
