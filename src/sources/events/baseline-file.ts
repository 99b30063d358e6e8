/**
 * Baseline files: YAML a person reads, reviews and diffs (`kubeguard runtime baseline learn|show|lock`). Reading
 * checks the shape and names the offending field; writing goes through a temporary file and a rename, so an
 * interrupted write never leaves a half-written baseline in place.
 */
import { readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import YAML from 'yaml';
import { isJsonMap } from '../../core/json.js';
import { ConfigError, errorMessage } from '../../core/errors.js';
import { BASELINE_API_VERSION, type Baseline, type ContainerBaseline, type WorkloadBaseline } from '../../analysis/runtime/baseline.js';

/** Largest baseline file read (a baseline of 20,000 workloads stays far below it). */
const MAX_BYTES = 64 * 1024 * 1024;

const HEADER = [
  '# kubeguard runtime baseline: what each workload\'s containers normally do.',
  '# processes: "binary argument-shapes" (<n> a number, <id> an id, <ip> an address; "binary *" any arguments)',
  '# egress/ingress: "peer:port/PROTOCOL" (peer: a DNS name, namespace/workload, an IP or CIDR; * is any)',
  '# dns: names looked up; http: "METHOD /path" (* a variable segment).',
  '# Review it, edit it, then lock it: kubeguard runtime baseline lock FILE. Locked workloads report deviations.',
  '',
].join('\n');

function fail(file: string, field: string, what: string): never {
  throw new ConfigError(`baseline ${file}: ${field} ${what}`, file);
}

function strings(file: string, field: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(file, field, 'must be a list of strings');
  return v as string[];
}

export function parseBaseline(text: string, file: string): Baseline {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { maxAliasCount: 0 });
  } catch (e) {
    throw new ConfigError(`baseline ${file}: not YAML (${errorMessage(e).split('\n')[0]})`, file, { cause: e });
  }
  if (!isJsonMap(doc)) fail(file, 'the document', 'must be a mapping');
  if (doc.apiVersion !== BASELINE_API_VERSION || doc.kind !== 'RuntimeBaseline') fail(file, 'apiVersion/kind', `must be ${BASELINE_API_VERSION} RuntimeBaseline`);
  const learned = isJsonMap(doc.learned) ? doc.learned : {};
  const workloads: WorkloadBaseline[] = [];
  (Array.isArray(doc.workloads) ? doc.workloads : []).forEach((w: unknown, i: number) => {
    const f = `workloads[${i}]`;
    if (!isJsonMap(w) || typeof w.namespace !== 'string' || typeof w.workload !== 'string') fail(file, f, 'needs namespace and workload');
    const containers: Record<string, ContainerBaseline> = {};
    for (const [name, c] of Object.entries(isJsonMap(w.containers) ? w.containers : {})) {
      const cf = `${f}.containers.${name}`;
      const m = isJsonMap(c) ? c : {};
      containers[name] = { processes: strings(file, `${cf}.processes`, m.processes), egress: strings(file, `${cf}.egress`, m.egress), ingress: strings(file, `${cf}.ingress`, m.ingress), dns: strings(file, `${cf}.dns`, m.dns), http: strings(file, `${cf}.http`, m.http) };
    }
    if (w.locked !== undefined && typeof w.locked !== 'boolean') fail(file, `${f}.locked`, 'must be true or false');
    workloads.push({ namespace: w.namespace, workload: w.workload, ...(typeof w.kind === 'string' ? { kind: w.kind } : {}), ...(typeof w.locked === 'boolean' ? { locked: w.locked } : {}), containers });
  });
  return {
    apiVersion: BASELINE_API_VERSION,
    kind: 'RuntimeBaseline',
    locked: doc.locked === true,
    learned: { ...(typeof learned.from === 'string' ? { from: learned.from } : {}), ...(typeof learned.until === 'string' ? { until: learned.until } : {}), events: typeof learned.events === 'number' ? learned.events : 0 },
    ...(typeof doc.lockedAt === 'string' ? { lockedAt: doc.lockedAt } : {}),
    workloads,
  };
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_BYTES) fail(file, 'the file', `is larger than ${MAX_BYTES} bytes`);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`, file, { cause: e });
  }
  return parseBaseline(text, file);
}

export function formatBaseline(b: Baseline): string {
  return HEADER + YAML.stringify(b, { lineWidth: 0, indent: 2 });
}

/** Writes atomically: a temporary file beside the target, then a rename. */
export function writeBaseline(file: string, b: Baseline): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, formatBaseline(b));
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing written */
    }
    throw e;
  }
}
