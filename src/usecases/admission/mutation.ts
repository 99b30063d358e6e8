/**
 * What the mutating endpoint adds to an admitted object: safe defaults for fields left unset (mutate.ts) and, when
 * configured, image tags pinned to their digests (pin-digests.ts). Only CREATE and UPDATE of the object itself
 * are mutated, and never an exempt one (the same exemptions as the validating decision).
 */
import type { JsonPatchOp } from '../../core/model.js';
import { admittedResource, exemptionOf } from './decide.js';
import { safeDefaultsPatch } from './mutate.js';
import { pinDigestsPatch } from './pin-digests.js';
import type { AdmissionPolicy } from './policy.js';
import type { AdmissionRequest } from './review.js';

export interface Mutation {
  ops: JsonPatchOp[];
  /** Remarks for the person applying (a tag that could not be pinned, …). */
  notes: string[];
}

const NONE: Mutation = { ops: [], notes: [] };

/** The patch for one request; `deadline` (epoch ms) bounds the registry lookups of digest pinning. */
export async function mutation(request: AdmissionRequest, policy: AdmissionPolicy, deadline: number): Promise<Mutation> {
  const settings = policy.settings;
  if (!settings.mutate?.enabled || (request.operation !== 'CREATE' && request.operation !== 'UPDATE') || request.subResource) return NONE;
  const resource = admittedResource(request);
  if (!resource || exemptionOf(request, resource, settings)) return NONE;
  const ops = safeDefaultsPatch(resource.object, settings.mutate);
  const notes: string[] = [];
  if (policy.resolveDigest) {
    const pinned = await pinDigestsPatch(resource.object, policy.resolveDigest, deadline);
    ops.push(...pinned.ops);
    notes.push(...pinned.notes);
  }
  return { ops, notes };
}
