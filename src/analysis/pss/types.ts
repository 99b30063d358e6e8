/** Types of the Pod Security Standards evaluator (mirrors k8s.io/pod-security-admission/policy). */
import type { ObjectMeta } from '../../core/model.js';
import type { ContainerRef, PodSpec } from '../../core/podspec.js';

export type PssLevel = 'baseline' | 'restricted';

export const PSS_LEVELS: readonly PssLevel[] = ['baseline', 'restricted'];

/** One offending field: where it is and what is wrong with it. */
export interface PssField {
  /** JSON pointer to the offending field (or to its nearest existing ancestor when the field is missing). */
  path: string;
  message: string;
}

export interface PssViolation {
  /** Upstream check ID, e.g. "privileged", "procMount_restricted". */
  check: string;
  /** Upstream-style message: "<reason> (<detail>)". */
  message: string;
  /** JSON pointers of the offending fields. */
  paths: string[];
  /** The same fields with a per-field message. */
  fields: PssField[];
}

export interface PssResult {
  allowed: boolean;
  violations: PssViolation[];
}

/** The pod as a check sees it: metadata, spec, the pointers to both, and every container with its pointer. */
export interface PodInput {
  metadata: ObjectMeta;
  spec: PodSpec;
  specPath: string;
  metadataPath: string;
  /** initContainers, containers, ephemeralContainers, in upstream's visiting order. */
  containers: readonly ContainerRef[];
}

/** A failed check, as upstream's CheckResult{Allowed: false, ForbiddenReason, ForbiddenDetail} plus field paths. */
export interface CheckFailure {
  reason: string;
  detail: string;
  fields: PssField[];
}

export type CheckFn = (pod: PodInput) => CheckFailure | undefined;

export interface VersionedCheck {
  /** Minor version of policy v1.<minor> from which this variant applies. */
  minimumVersion: number;
  check: CheckFn;
  /** Baseline check IDs that this (restricted) variant replaces when evaluating the restricted level. */
  overrides?: string[];
}

export interface CheckDefinition {
  id: string;
  level: PssLevel;
  /** Sorted by minimumVersion, strictly increasing. */
  versions: VersionedCheck[];
}
