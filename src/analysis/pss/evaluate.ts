/** evaluatePod / evaluateCheck: run the Pod Security Standards checks over one pod spec. */
import type { ObjectMeta } from '../../core/model.js';
import { allContainers, type PodSpec } from '../../core/podspec.js';
import { activeChecks, checkDefinition, effectiveMinor } from './registry.js';
import type { CheckFailure, PodInput, PssLevel, PssResult, PssViolation } from './types.js';

export interface EvaluateOptions {
  level: PssLevel;
  /** "v1.<minor>" or "latest" (default). */
  version?: string;
  /**
   * Pointer to the pod spec inside the evaluated object (e.g. /spec/template/spec); paths in the result are
   * absolute in that object. Default "/spec": paths are as in a Pod.
   */
  specPath?: string;
  /** Pointer to the pod metadata; default: specPath with its last token replaced by "metadata". */
  metadataPath?: string;
}

function metadataPathFor(specPath: string): string {
  return specPath.endsWith('/spec') ? `${specPath.slice(0, -'/spec'.length)}/metadata` : '/metadata';
}

/**
 * Every pss-* rule asks for the same pod, the one the scan is on: the last input view is kept (one entry, not a
 * cache per spec object, which kept every admission request's object alive into the old generation).
 */
let last: { spec: PodSpec; specPath: string; metadataPath: string | undefined; metadata: ObjectMeta | undefined; input: PodInput } | undefined;

function podInput(metadata: ObjectMeta | undefined, spec: PodSpec, specPath = '/spec', metadataPath?: string): PodInput {
  if (last?.spec === spec && last.specPath === specPath && last.metadataPath === metadataPath && last.metadata === metadata) return last.input;
  const input = buildPodInput(metadata, spec, specPath, metadataPath);
  last = { spec, specPath, metadataPath, metadata, input };
  return input;
}

function buildPodInput(metadata: ObjectMeta | undefined, spec: PodSpec, specPath: string, metadataPath?: string): PodInput {
  return {
    metadata: metadata ?? {},
    spec,
    specPath,
    metadataPath: metadataPath ?? metadataPathFor(specPath),
    containers: allContainers(spec, specPath),
  };
}

function toViolation(check: string, f: CheckFailure): PssViolation {
  return {
    check,
    message: f.detail ? `${f.reason} (${f.detail})` : f.reason,
    paths: [...new Set(f.fields.map((x) => x.path))],
    fields: f.fields,
  };
}

/** Evaluates a pod against every check of a level at a policy version. */
export function evaluatePod(metadata: ObjectMeta | undefined, spec: PodSpec, options: EvaluateOptions): PssResult {
  const pod = podInput(metadata, spec, options.specPath, options.metadataPath);
  const violations: PssViolation[] = [];
  for (const c of activeChecks(options.level, options.version)) {
    const failure = c.variant.check(pod);
    if (failure) violations.push(toViolation(c.id, failure));
  }
  return { allowed: violations.length === 0, violations };
}

/**
 * Runs one check by ID, whatever its level, with the variant of that policy version (default latest).
 * Returns undefined when the pod passes or the check does not exist yet at that version.
 */
export function evaluateCheck(
  checkId: string,
  metadata: ObjectMeta | undefined,
  spec: PodSpec,
  options: Omit<EvaluateOptions, 'level'> = {},
): PssViolation | undefined {
  const def = checkDefinition(checkId);
  if (!def) throw new Error(`unknown Pod Security Standards check: ${checkId}`);
  const minor = effectiveMinor(options.version);
  let variant;
  for (const v of def.versions) if (v.minimumVersion <= minor) variant = v;
  if (!variant) return undefined;
  const failure = variant.check(podInput(metadata, spec, options.specPath, options.metadataPath));
  return failure && toViolation(checkId, failure);
}
