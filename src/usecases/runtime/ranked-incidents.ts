/**
 * The ranked incidents of a replay, kept on disk: each incident is written to a spool as its report JSON when it
 * closes, and only its rank (score, first seen) and position stay in memory, so a replay of millions of events
 * keeps memory bounded by the detectors' state, not by the size of its report. Iterating reads them back most
 * important first — the order `decorate` gives.
 */
import type { Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import { incidentJson, type IncidentJson } from '../../reporters/incidents.js';
import { Spool, type SpoolRecord } from '../../sources/spool/spool.js';
import type { Incident } from '../../analysis/runtime/incidents.js';
import type { IncidentContext } from '../../analysis/runtime/posture.js';

/** An incident with the context the analysis added (workload, exposure, score inputs). */
export interface AnalyzedIncident extends Incident {
  context: IncidentContext & Record<string, unknown>;
}

interface Entry extends SpoolRecord {
  score: number;
  firstTs: number;
}

export class RankedIncidents implements Iterable<IncidentJson> {
  private readonly spool = new Spool();
  private readonly entries: Entry[] = [];
  private readonly severities = new Map<Severity, number>();

  add(incident: AnalyzedIncident): void {
    const record = this.spool.append(JSON.stringify(incidentJson(incident)));
    this.entries.push({ ...record, score: incident.score, firstTs: incident.firstTs });
    this.severities.set(incident.severity, (this.severities.get(incident.severity) ?? 0) + 1);
  }

  get count(): number {
    return this.entries.length;
  }

  /** Whether any incident is at or above the severity. */
  reaches(severity: Severity): boolean {
    return [...this.severities.keys()].some((s) => severityRank(s) >= severityRank(severity));
  }

  *[Symbol.iterator](): Iterator<IncidentJson> {
    const ranked = [...this.entries].sort((a, b) => b.score - a.score || a.firstTs - b.firstTs);
    for (const entry of ranked) yield JSON.parse(this.spool.read(entry)) as IncidentJson;
  }

  close(): void {
    this.spool.close();
  }
}
