/** Building blocks the adapters share: workload identity, image digests, argv splitting. Pure. */
import { workloadFromPodName } from '../../core/ref.js';
import type { OwnerRef, WorkloadIdentity } from '../../core/events/model.js';

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const int = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

/** Drops undefined fields, so events carry only what the producer said. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** The owner of a pod: the producer's own when given, else the name derived from the pod name (kind unknown). */
export function ownerOf(pod: string | undefined, name?: string, kind?: string): OwnerRef | undefined {
  if (name) return kind ? { kind, name } : { name };
  if (!pod) return undefined;
  return { name: workloadFromPodName(pod) };
}

/** `sha256:…` from an image id or reference (`docker-pullable://repo@sha256:…`, `repo@sha256:…`, `sha256:…`). */
export function digestOf(imageId: string | undefined): string | undefined {
  if (!imageId) return undefined;
  const m = /(?:^|@)(sha256:[a-f0-9]{64})$/.exec(imageId);
  return m ? m[1] : undefined;
}

/** A pod's identity with the owner derived from the pod name when the producer gave none. */
export function podWorkload(w: WorkloadIdentity): WorkloadIdentity {
  if (w.pod && !w.owner) w.owner = ownerOf(w.pod);
  return compact(w);
}

/**
 * argv from a command line as producers print it (Tetragon `arguments`, Falco `proc.args`): split on blanks,
 * double and single quotes group, a backslash escapes the next character.
 */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** Labels as `key=value` strings (Hubble `k8s:app=web`) split into a map, with the source prefix removed. */
export function labelMap(list: unknown, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const l of list) {
    if (typeof l !== 'string' || !l.startsWith(prefix)) continue;
    const eq = l.indexOf('=', prefix.length);
    if (eq < 0) out[l.slice(prefix.length)] = '';
    else out[l.slice(prefix.length, eq)] = l.slice(eq + 1);
  }
  return out;
}
