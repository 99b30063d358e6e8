/**
 * Compliance per framework for the server: a whole-cluster scan uploads each framework's score as `scan
 * --framework F` computes it (analysis/compliance), the server keeps one per scan, and the overview reads each
 * cluster's latest with the one before (is it getting better?).
 */
import { FRAMEWORKS, frameworkView, type ViewInput } from '../../analysis/compliance/frameworks/view.js';
import { latestComplianceScores } from '../../sources/store/compliance.js';
import type { Store } from '../../sources/store/open.js';
import type { ComplianceScoreRecord, InventoryRecord } from '../../sources/upload/format.js';

export function* complianceScoreRecords(input: Omit<ViewInput, 'benchmark'>): Generator<InventoryRecord> {
  for (const f of FRAMEWORKS) {
    const v = frameworkView(f, input);
    yield { complianceScore: { framework: v.framework, version: v.version, score: v.score.total, pass: v.score.counts.PASS, fail: v.score.counts.FAIL, counts: v.score.counts } };
  }
}

/** A cluster's score of one framework (as uploaded) with when, and the score of the scan before (null: the first). */
export interface ComplianceScoreView extends ComplianceScoreRecord {
  cluster: string;
  scannedAt: string;
  previous: { score: number | null; scannedAt: string } | null;
}

export async function complianceOverview(store: Store, clusters?: string[]): Promise<ComplianceScoreView[]> {
  const rows = await latestComplianceScores(store, clusters);
  const out: ComplianceScoreView[] = [];
  const score = (tenths: number | null) => (tenths === null ? null : Number(tenths) / 10);
  for (const r of rows) {
    const at = new Date(Number(r.scanned_at)).toISOString();
    const last = out.at(-1);
    // rows come newest first per cluster and framework: the second is the first's previous
    if (last && last.cluster === r.cluster && last.framework === r.framework) last.previous = { score: score(r.score_tenths), scannedAt: at };
    else out.push({ cluster: r.cluster, framework: r.framework, version: r.version, score: score(r.score_tenths), pass: Number(r.pass), fail: Number(r.fail), counts: JSON.parse(r.counts) as Record<string, number>, scannedAt: at, previous: null });
  }
  return out;
}
