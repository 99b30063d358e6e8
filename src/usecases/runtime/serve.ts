/**
 * The live runtime service behind `runtime serve`: events arrive in bodies (Falco http_output, the audit webhook
 * backend, the kubeguard sensor, Tetragon or Hubble exporters), go through the same engine as `runtime analyze`,
 * and incidents go to the sinks — when they open (at once) and when they close. Incidents posted by other nodes'
 * `runtime serve` (their webhook sink pointed at this one's /incidents) join the same de-duplication, so each
 * incident reaches Slack once however many nodes saw it. Time: detection uses event time; only the idle sweep
 * (closing incidents nobody has added to for the incident window) follows the clock the caller passes.
 */
import type { ExceptionSpec, KubeguardConfig } from '../../engine/config.js';
import { RuntimeExceptions, incidentGap, resolveDetectors } from '../../engine/runtime.js';
import { RuntimeEngine } from '../../analysis/runtime/engine.js';
import type { Incident } from '../../analysis/runtime/incidents.js';
import type { Baseline } from '../../analysis/runtime/baseline.js';
import type { RuntimePosture } from '../../analysis/runtime/posture.js';
import { EventReader, emptyStats, mergeStats, type EventReadStats } from '../../sources/events/reader.js';
import { DedupeSink, type IncidentSink, type IncidentUpdate } from '../../sources/sinks/sink.js';
import { incidentJson, type IncidentJson } from '../../reporters/incidents.js';
import { isJsonMap } from '../../core/json.js';
import { isSeverity } from '../../core/model.js';
import { decorate, runtimeEnvironment } from './analyze.js';

export interface RuntimeServiceOptions {
  config: KubeguardConfig;
  sinks: IncidentSink[];
  posture?: RuntimePosture;
  baseline?: Baseline;
  /** The wall clock (ms), for de-duplication and the idle sweep. */
  now: () => number;
}

export class RuntimeService {
  readonly engine: RuntimeEngine;
  readonly stats: EventReadStats = emptyStats();
  private readonly sink: DedupeSink;
  private readonly pending = new Set<Promise<void>>();
  private readonly open = new Map<string, Incident>();
  remoteIncidents = 0;
  private exceptions: RuntimeExceptions;
  /** Told of every update handed to the sinks, and whether de-duplication held it back (metrics). */
  onUpdate?: (u: IncidentUpdate, origin: 'local' | 'remote', suppressed: boolean) => void;

  constructor(private readonly options: RuntimeServiceOptions) {
    const { environment } = runtimeEnvironment(options.config, options.posture, options.baseline);
    const { detectors, settings } = resolveDetectors(options.config);
    this.exceptions = new RuntimeExceptions(options.config.exceptions ?? []);
    const gapMs = incidentGap(options.config);
    const fanOut: IncidentSink = { name: 'sinks', send: async (u) => void (await Promise.all(options.sinks.map((s) => s.send(u)))), close: async () => void (await Promise.all(options.sinks.map((s) => s.close()))) };
    this.sink = new DedupeSink(fanOut, gapMs, options.now);
    this.engine = new RuntimeEngine({
      detectors,
      settings,
      environment,
      suppress: (d) => this.exceptions.suppress(d),
      limits: { gapMs },
      onOpen: (i) => {
        this.open.set(i.key, i);
        this.emit('open', i);
      },
      onClose: (i) => {
        this.open.delete(i.key);
        this.emit('closed', i);
      },
    });
  }

  private emit(state: IncidentUpdate['state'], i: Incident): void {
    const [decorated] = decorate([i], this.options.posture);
    this.dispatch({ state, key: i.key, incident: incidentJson(decorated) }, 'local');
  }

  private dispatch(u: IncidentUpdate, origin: 'local' | 'remote'): void {
    const before = this.sink.suppressed;
    const p = this.sink.send(u).then(() => this.onUpdate?.(u, origin, this.sink.suppressed > before));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /**
   * The central server's approved exceptions for this cluster, in force beside the config's from now on
   * (`runtime serve --upload` refreshes them from the server): an approval there stops new detections here too.
   */
  setServerExceptions(specs: readonly ExceptionSpec[]): void {
    this.exceptions = new RuntimeExceptions([...(this.options.config.exceptions ?? []), ...specs]);
  }

  /** Reads one request body of events (any supported format, detected per line). */
  ingest(body: string | Buffer, source: string): EventReadStats {
    const reader = new EventReader(source, (e) => this.engine.process(e));
    reader.push(body);
    const s = reader.end();
    mergeStats(this.stats, s);
    return s;
  }

  /** Incident updates posted by another node (JSON lines of IncidentUpdate); returns how many were accepted. */
  ingestIncidents(body: string): { accepted: number; rejected: number } {
    let accepted = 0;
    let rejected = 0;
    for (const line of body.split('\n')) {
      if (!line.trim()) continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        rejected++;
        continue;
      }
      if (!isUpdate(v)) {
        rejected++;
        continue;
      }
      accepted++;
      this.remoteIncidents++;
      this.dispatch(v, 'remote');
    }
    return { accepted, rejected };
  }

  /** Closes incidents idle for the incident window (called on a timer). */
  sweep(): void {
    this.engine.closeIdle(this.options.now());
  }

  openIncidents(): IncidentJson[] {
    return decorate([...this.open.values()], this.options.posture).map(incidentJson);
  }

  /** Waits until every update handed to the sinks has been delivered (or dropped). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Closes every open incident, delivers, closes the sinks. */
  async shutdown(): Promise<void> {
    this.engine.finish();
    await this.flush();
    await this.sink.close();
  }
}

function isUpdate(v: unknown): v is IncidentUpdate {
  if (!isJsonMap(v) || (v.state !== 'open' && v.state !== 'closed') || typeof v.key !== 'string' || !/^[0-9a-f]{32}$/.test(v.key)) return false;
  const i = v.incident;
  return isJsonMap(i) && typeof i.ruleId === 'string' && isSeverity(i.severity) && typeof i.count === 'number' && isJsonMap(i.workload) && Array.isArray(i.evidence) && isJsonMap(i.context);
}
