/**
 * Whose signature an image needs, and what a verification verdict means for it — one home for the webhook's
 * signature gate and `scan --images` (same config `admission.images.signature`, same answer). Policies match
 * image references as `allowedRegistries` entries do (path prefix or glob) and namespaces by glob; the first match
 * decides; images no policy matches need the top-level keys, or nothing when there are none.
 */
import { globMatch } from '../../../core/glob.js';
import type { ImageRef } from '../../../core/image-ref.js';
import { registryAllowed } from '../../../rules/workload/registry-allowlist.js';
import { unmetRequirements } from './provenance.js';
import type { AttestationRequirement, Attested } from './provenance.js';
import type { IdentityPolicy } from './verify-bundle.js';
import type { AttestationSigner } from '../../../core/model.js';

/** Who must have signed: keys (PEM text, any may match) or a keyless identity; and required attestations. */
export interface SignerRequirement {
  keys?: readonly string[];
  policy?: IdentityPolicy;
  attestations?: readonly AttestationRequirement[];
}

export interface SignaturePolicy extends SignerRequirement {
  images: readonly string[];
  namespaces?: readonly string[];
}

export interface SignatureVerdict {
  verified: boolean;
  /** not-evaluated: trust could not be established. Default from `verified`. */
  status?: 'verified' | 'not-verified' | 'not-evaluated';
  /** The digest the verification was made against (resolved from the tag when the reference has none). */
  digest?: string;
  /** Why it failed, without secret material. */
  reason?: string;
  /** Verified attestations, by the same signer rule (with who signed them and where they were found). */
  attestations?: readonly (Attested & { signer?: AttestationSigner; origin?: string })[];
}

/** The requirement for one image in one namespace: the first matching policy, else the keys; none → not checked. */
export function requirementFor(ref: ImageRef, namespace: string | undefined, o: { keys?: readonly string[]; policies?: readonly SignaturePolicy[] }): { id: string; requirement: SignerRequirement } | undefined {
  for (const [i, p] of (o.policies ?? []).entries()) {
    if (!registryAllowed(ref, p.images)) continue;
    if (p.namespaces && !(namespace !== undefined && p.namespaces.some((g) => globMatch(g, namespace)))) continue;
    return { id: `policy ${i + 1}`, requirement: p };
  }
  return o.keys && o.keys.length > 0 ? { id: 'keys', requirement: { keys: o.keys } } : undefined;
}

function signerText(r: SignerRequirement): string {
  if (r.keys && r.keys.length > 0) return 'a trusted key';
  const p = r.policy ?? {};
  const who = p.identity ?? (p.identityRegExp !== undefined ? `an identity matching ${p.identityRegExp}` : 'the required identity');
  const issuer = p.issuer ?? (p.issuerRegExp !== undefined ? `an issuer matching ${p.issuerRegExp}` : undefined);
  return issuer ? `${who} (issuer ${issuer})` : who;
}

export type SignatureJudgement = { outcome: 'pass' } | { outcome: 'violation'; message: string } | { outcome: 'undecided'; reason: string };

/** What a verdict means for an image under a requirement. */
export function judgeSignature(image: string, v: SignatureVerdict, r: SignerRequirement, now = new Date()): SignatureJudgement {
  const status = v.status ?? (v.verified ? 'verified' : 'not-verified');
  if (status === 'not-evaluated') return { outcome: 'undecided', reason: `signature could not be evaluated: ${v.reason ?? 'no trust material'}` };
  if (!v.verified) return { outcome: 'violation', message: `image "${image}" has no valid signature by ${signerText(r)}${v.reason ? ` (${v.reason})` : ''}` };
  const unmet = unmetRequirements(v.attestations ?? [], r.attestations ?? [], now);
  if (unmet.length > 0) return { outcome: 'violation', message: `image "${image}" is signed but lacks required attestations: ${unmet.join('; ')}` };
  return { outcome: 'pass' };
}
