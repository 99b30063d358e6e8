/**
 * A compliance view: the JSON contract of `kubeguard node check` and `scan --framework`:
 * {"framework", "version", "controls": [{"id", "title", "status", "evidence", "findings": [...]}], "score"}.
 * The score is the share of decided controls that pass (PASS ÷ (PASS + FAIL), in percent, one decimal), per section
 * and in total; NOT_APPLICABLE, MANUAL and COULD_NOT_EVALUATE controls are not counted, and a section without a
 * decided control has no score (null), never 100.
 */
import type { Finding } from '../../core/model.js';
import type { ControlStatus } from './kube-bench/run.js';

export type { ControlStatus };
export const CONTROL_STATUSES: readonly ControlStatus[] = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'COULD_NOT_EVALUATE', 'MANUAL'];

export interface ComplianceControl {
  id: string;
  title: string;
  status: ControlStatus;
  evidence: string;
  findings: Finding[];
}

export interface SectionScore {
  id: string;
  title: string;
  score: number | null;
  pass: number;
  fail: number;
}

export interface ComplianceScore {
  total: number | null;
  sections: SectionScore[];
  counts: Record<ControlStatus, number>;
}

export interface ComplianceReport {
  framework: string;
  version: string;
  controls: ComplianceControl[];
  score: ComplianceScore;
}

const percent = (pass: number, fail: number) => (pass + fail === 0 ? null : Math.round((1000 * pass) / (pass + fail)) / 10);

/** Scores controls grouped by section (`sectionOf` gives each control's section id and title). */
export function scoreControls(controls: readonly ComplianceControl[], sectionOf: (c: ComplianceControl) => { id: string; title: string }): ComplianceScore {
  const sections = new Map<string, SectionScore>();
  const counts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) {
    counts[c.status]++;
    const s = sectionOf(c);
    const entry = sections.get(s.id) ?? sections.set(s.id, { ...s, score: null, pass: 0, fail: 0 }).get(s.id)!;
    if (c.status === 'PASS') entry.pass++;
    if (c.status === 'FAIL') entry.fail++;
  }
  for (const s of sections.values()) s.score = percent(s.pass, s.fail);
  return { total: percent(counts.PASS, counts.FAIL), sections: [...sections.values()], counts };
}

/** Exit status of a compliance run: 1 when a control fails, 3 when one could not be evaluated, else 0. */
export function complianceExitCode(report: ComplianceReport): 0 | 1 | 3 {
  if (report.controls.some((c) => c.status === 'FAIL')) return 1;
  if (report.controls.some((c) => c.status === 'COULD_NOT_EVALUATE')) return 3;
  return 0;
}
