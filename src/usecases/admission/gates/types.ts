/**
 * Image gates: asynchronous checks of the images a workload runs (registries, digests, signatures, scan
 * results). A gate receives each distinct image once per request, with every place it is used, and answers with
 * violations and the images it could not decide. It must honour `ctx.signal`: when the request budget runs
 * out the runner stops waiting and the configured failure mode applies to what is undecided.
 */
import type { containerImages } from '../../../rules/workload/images.js';

/** A parsed image reference, as the workload rules parse it (registry, repository, tag, digest). */
export type ImageRef = ReturnType<typeof containerImages>[number]['image'];

export interface GateImage {
  /** The image reference as written in the object. */
  image: string;
  ref: ImageRef;
  /** JSON pointers of every container field using this image (…/image). */
  paths: string[];
}

export interface GateContext {
  /** Aborted when the request budget runs out. */
  signal: AbortSignal;
  /** Epoch milliseconds by which the gate must have answered. */
  deadline: number;
  namespace?: string;
  /** Dry-run requests must cause no side effects (no background scans). */
  dryRun: boolean;
  now: Date;
}

export interface GateViolation {
  image: string;
  /** JSON pointer of the (first) offending field. */
  path: string;
  message: string;
}

export interface GateUndecided {
  image: string;
  path: string;
  reason: string;
}

export interface GateResult {
  violations: GateViolation[];
  /** Images the gate could not judge (lookup failed, no data); the failure mode decides them. */
  undecided?: GateUndecided[];
  /** Non-blocking remarks (e.g. "scan requested in the background"). */
  notes?: string[];
}

export interface ImageGate {
  /** Short kebab-case name; violations are reported as rule `image-gate/<name>`. */
  readonly name: string;
  check(images: readonly GateImage[], ctx: GateContext): Promise<GateResult>;
}

export const GATE_RULE_PREFIX = 'image-gate/';
