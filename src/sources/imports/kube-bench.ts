/**
 * kube-bench's `--json` output (field names from check/controls.go and check/check.go of aquasecurity/kube-bench):
 * `{"Controls": [...], "Totals": {...}}`, or the bare array of controls older versions print. kube-bench runs on one
 * node and does not say which, so the import names it (`--node`); the upload's scope is that node, so importing
 * one node's results never fixes another's.
 *
 * A FAIL is a finding with the rule id `kubeguard node check` gives the same check (`<benchmark>/<id>`, e.g.
 * cis-1.20/1.2.5) and its CIS id, so the server keeps one finding when both report it. A WARN (manual, or not
 * determinable) holds the check's state: nothing was judged. The audit command and its output (`audit`,
 * `actual_value`: process command lines, which may carry credentials) are not kept.
 */
import type { Finding, ResourceRef } from '../../core/model.js';
import type { ImportedResults, Obj, Skipped } from './imported.js';
import { batchOf, skip, text } from './imported.js';

export const KUBE_BENCH_SOURCE = 'kube-bench';

function isControls(o: unknown): o is Obj {
  return o !== null && typeof o === 'object' && !Array.isArray(o) && Array.isArray((o as Obj).tests) && typeof (o as Obj).node_type === 'string';
}

/** The controls of a kube-bench JSON document, or undefined when it is not one. */
export function kubeBenchControls(doc: unknown): Obj[] | undefined {
  if (Array.isArray(doc) && doc.length > 0 && doc.every(isControls)) return doc;
  if (isControls(doc)) return [doc];
  if (doc && typeof doc === 'object' && Array.isArray((doc as Obj).Controls) && ((doc as Obj).Controls as unknown[]).every(isControls)) return (doc as Obj).Controls as Obj[];
  return undefined;
}

/** kube-bench's `version` is the benchmark folder (cis-1.20, eks-1.8.0); versions before 0.6 printed the bare number. */
function benchmarkName(version: string): string {
  return /^\d/.test(version) ? `cis-${version}` : version;
}

export function kubeBenchResults(controls: readonly Obj[], node: string, skipped: Skipped): ImportedResults {
  const batches = new Map<string, ImportedResults>();
  const batch = batchOf(batches, KUBE_BENCH_SOURCE, 'resources');
  const resource: ResourceRef = { apiVersion: 'v1', kind: 'Node', name: node };
  batch.resources.push(resource);
  for (const control of controls) {
    const benchmark = benchmarkName(text(control.version) || 'cis');
    for (const group of control.tests as unknown[]) {
      for (const raw of Array.isArray((group as Obj | null)?.results) ? ((group as Obj).results as unknown[]) : []) {
        const check = (raw ?? {}) as Obj;
        const id = text(check.test_number);
        if (!id) {
          skip(skipped, 'kube-bench result without test_number');
          continue;
        }
        const ruleId = `${benchmark}/${id}`.slice(0, 253);
        const status = text(check.status);
        if (status === 'WARN') batch.held.push({ ruleId, resource });
        if (status !== 'FAIL') continue;
        const expected = text(check.expected_result);
        const f: Finding = { ruleId, severity: 'medium', message: `${text(check.test_desc) || id}: expected ${expected || 'the check to pass'}`.slice(0, 4000), resource, path: '', compliance: { cis: [id] } };
        if (text(check.remediation).trim()) f.remediation = text(check.remediation).trim().slice(0, 4000);
        batch.findings.push(f);
      }
    }
  }
  return batch;
}
