/**
 * Analyse events: replay event files through the detectors (with the config's settings and exceptions, a locked
 * baseline if given), group detections into incidents, add posture context from cluster objects when given, rank.
 * The CLI's `runtime analyze` renders the result; `runtime serve` runs the same engine on live events.
 */
import type { Finding, Resource } from '../../core/model.js';
import type { RuntimeEvent } from '../../core/events/model.js';
import type { KubeguardConfig } from '../../engine/config.js';
import { RULES } from '../../engine/catalog.js';
import { resolveRules } from '../../engine/resolve-rules.js';
import { scan } from '../../engine/scan.js';
import { RuntimeExceptions, incidentGap, resolveDetectors, type RuntimeExceptionUse } from '../../engine/runtime.js';
import { RuntimeEngine, type RuntimeEnvironment } from '../../analysis/runtime/engine.js';
import type { Incident } from '../../analysis/runtime/incidents.js';
import { BaselineIndex, type Baseline } from '../../analysis/runtime/baseline.js';
import { DEFAULT_CLUSTER_NETWORKS } from '../../analysis/runtime/networks.js';
import { RuntimePosture, scoreIncident, type VulnLookup } from '../../analysis/runtime/posture.js';
import { readEventFiles, type FileReadResult } from '../../sources/events/files.js';
import { RankedIncidents, type AnalyzedIncident } from './ranked-incidents.js';

export interface AnalyzeInput {
  files: readonly string[];
  config: KubeguardConfig;
  /** Cluster objects (a snapshot or a live read) for posture context; none: incidents carry no posture. */
  resources?: readonly Resource[];
  baseline?: Baseline;
  vulns?: VulnLookup;
  now: Date;
}

export type { AnalyzedIncident } from './ranked-incidents.js';

export interface AnalyzeResult {
  /** Most important first; on disk until read (close it when done). */
  incidents: RankedIncidents;
  read: FileReadResult;
  exceptions: RuntimeExceptionUse[];
  /** Detector failures by id (an event the detector threw on was skipped for it). */
  failures: Record<string, number>;
  /** Detections that could not be judged, and why (no locked baseline, for example). */
  notes: string[];
}

/** Engine environment from posture, the config and a baseline. */
export function runtimeEnvironment(config: KubeguardConfig, posture?: RuntimePosture, baseline?: Baseline): { environment: RuntimeEnvironment; baselines?: BaselineIndex } {
  const baselines = baseline ? new BaselineIndex(baseline) : undefined;
  const environment: RuntimeEnvironment = {
    clusterNetworks: [...(config.runtime?.clusterNetworks ?? DEFAULT_CLUSTER_NETWORKS), ...(posture?.nodeNetworks ?? []).map((n) => (n.includes('/') ? n : n.includes(':') ? `${n}/128` : `${n}/32`))],
    apiServers: [...(config.runtime?.apiServers ?? []), ...(posture?.apiServers ?? [])],
    ...(baselines ? { baseline: (w) => baselines.view(w) } : {}),
    ...(posture ? { facts: (w) => posture.facts(w), secretUsers: (ns, name) => posture.secretUsers(ns, name) } : {}),
  };
  return { environment, baselines };
}

/** Posture from cluster objects: the findings of the configured rules on them, and the analyses. */
export function runtimePosture(resources: readonly Resource[], config: KubeguardConfig, now: Date, vulns?: VulnLookup): RuntimePosture {
  const findings: Finding[] = scan(resources, { rules: resolveRules(RULES, config), exceptions: config.exceptions, now }).findings;
  return new RuntimePosture(resources, findings, vulns);
}

/** An incident with its posture context and score. */
export function decorateOne(i: Incident, posture: RuntimePosture | undefined): AnalyzedIncident {
  const posed = posture ? posture.context(i) : {};
  const context: AnalyzedIncident['context'] = { message: i.message, key: i.key, ...posed, nodes: i.nodes, ...(i.pods.length ? { pods: i.pods } : {}) };
  const score = scoreIncident(i, posed);
  return { ...i, score, context: { ...context, score } };
}

/** Incidents decorated and ranked: highest score first, then the earliest. */
export function decorate(incidents: Incident[], posture: RuntimePosture | undefined): AnalyzedIncident[] {
  return incidents.map((i) => decorateOne(i, posture)).sort((a, b) => b.score - a.score || a.firstTs - b.firstTs);
}

export async function analyzeEvents(input: AnalyzeInput): Promise<AnalyzeResult> {
  const posture = input.resources ? runtimePosture(input.resources, input.config, input.now, input.vulns) : undefined;
  const { environment, baselines } = runtimeEnvironment(input.config, posture, input.baseline);
  const { detectors, settings } = resolveDetectors(input.config);
  const exceptions = new RuntimeExceptions(input.config.exceptions ?? []);
  const ranked = new RankedIncidents();
  const engine = new RuntimeEngine({ detectors, settings, environment, suppress: exceptions.suppress, limits: { gapMs: incidentGap(input.config) }, onClose: (i) => ranked.add(decorateOne(i, posture)) });
  let withoutBaseline = 0;
  let read: FileReadResult;
  try {
    read = await readEventFiles(input.files, (e: RuntimeEvent) => {
      if (baselines && !baselines.view(e.workload) && !e.workload.host && e.kind !== 'k8s.api') withoutBaseline++;
      engine.process(e);
    });
    engine.finish();
  } catch (err) {
    ranked.close();
    throw err;
  }
  const notes: string[] = [];
  if (!input.baseline) notes.push('no --baseline: runtime-external-egress and runtime-baseline-deviation had nothing to compare with (learn one: kubeguard runtime baseline learn)');
  else if (withoutBaseline) notes.push(`${withoutBaseline} events came from workloads without a locked baseline; baseline detectors could not judge them`);
  return { incidents: ranked, read, exceptions: exceptions.report(), failures: engine.stats.failures, notes };
}
