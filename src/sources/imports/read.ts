/**
 * `kubeguard import`: other tools' results, recognised by shape — wgpolicyk8s.io / openreports.io reports
 * (policy-reports.ts), Trivy Operator's aquasecurity.github.io reports (trivy-operator.ts), kube-bench's --json
 * output (kube-bench.ts) — as files, YAML streams or `kubectl get … -o yaml|json` lists. What is not recognised is
 * counted by its kind and reported, never fatal.
 */
import yaml from 'js-yaml';
import { SourceError, UsageError } from '../../core/errors.js';
import type { ImportedResults, Obj, Skipped } from './imported.js';
import { skip } from './imported.js';
import { kubeBenchControls, kubeBenchResults } from './kube-bench.js';
import { isPolicyReport, policyReportResults } from './policy-reports.js';
import { isTrivyOperatorReport, trivyOperatorResults } from './trivy-operator.js';

export type { ImportedResults } from './imported.js';

/** The documents of a YAML/JSON text: a stream, one document, or JSON objects one after another (older kube-bench). */
export function importDocuments(text: string, file: string): unknown[] {
  try {
    return yaml.loadAll(text, undefined, { json: true });
  } catch (e) {
    const lines = text.split('\n').filter((l) => l.trim());
    if (lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'))) {
      try {
        return lines.map((l) => JSON.parse(l) as unknown);
      } catch {
        // fall through to the YAML error, which says where
      }
    }
    throw new SourceError(`${file}: not YAML or JSON (${(e as Error).message.split('\n')[0]})`, file, { cause: e });
  }
}

export interface ImportOptions {
  /** The node kube-bench ran on (its output does not say). */
  node?: string;
}

export interface Imported {
  results: ImportedResults[];
  skipped: Skipped;
}

export function importResults(docs: readonly unknown[], options: ImportOptions = {}): Imported {
  const skipped: Skipped = new Map();
  const policyReports: Obj[] = [];
  const trivy: Obj[] = [];
  const kubeBench: Obj[] = [];
  const visit = (d: unknown, depth: number) => {
    const controls = kubeBenchControls(d);
    if (controls) return void kubeBench.push(...controls);
    if (d === null || typeof d !== 'object' || Array.isArray(d)) return void skip(skipped, d === null || d === undefined ? 'empty document' : 'not an object');
    const o = d as Obj;
    if (Array.isArray(o.items) && depth === 0) for (const i of o.items) visit(i, 1);
    else if (isPolicyReport(o)) policyReports.push(o);
    else if (isTrivyOperatorReport(o)) trivy.push(o);
    else skip(skipped, typeof o.kind === 'string' ? `${o.kind.slice(0, 63)}${typeof o.apiVersion === 'string' ? ` (${o.apiVersion.slice(0, 63)})` : ''}` : 'object of unknown shape');
  };
  for (const d of docs) if (d !== null && d !== undefined) visit(d, 0);
  const results = [...policyReportResults(policyReports, skipped), ...trivyOperatorResults(trivy, skipped)];
  if (kubeBench.length) {
    if (!options.node) throw new UsageError('kube-bench results do not say which node they are from: add --node NAME');
    results.push(kubeBenchResults(kubeBench, options.node, skipped));
  }
  return { results, skipped };
}
