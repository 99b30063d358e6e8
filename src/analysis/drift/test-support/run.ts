/** Test helper: analyzeDrift over manifests and live objects, with the rules run on both as the use case does. */
import type { KubeObject, Resource } from '../../../core/model.js';
import { refOf } from '../../../core/ref.js';
import { DEFAULT_CONFIG } from '../../../engine/config.js';
import { RULES } from '../../../engine/catalog.js';
import { resolveRules } from '../../../engine/resolve-rules.js';
import { scan } from '../../../engine/scan.js';
import { analyzeDrift } from '../analyze.js';
import type { DriftInput, DriftReport } from '../model.js';

const RESOLVED = resolveRules(RULES, DEFAULT_CONFIG);
const NOW = new Date('2026-12-06T12:00:00Z');

export function asResource(o: KubeObject, live = false): Resource {
  return { ref: refOf(o), object: o, source: { file: live ? 'cluster:test' : 'manifests.yaml' }, ...(live ? { live: true } : {}) };
}

export function driftOf(manifests: readonly (KubeObject | Resource)[], live: readonly KubeObject[], extra: Partial<DriftInput> = {}): DriftReport {
  const m = manifests.map((x) => ('ref' in x && 'object' in x ? (x as Resource) : asResource(x as KubeObject)));
  const l = live.map((o) => asResource(o, true));
  const options = { rules: RESOLVED, now: NOW };
  return analyzeDrift({
    manifests: m,
    live: l,
    unreadable: () => undefined,
    findings: { manifest: scan(m, options).findings, live: scan(l, options).findings },
    ...extra,
  });
}
