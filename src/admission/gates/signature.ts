/**
 * Gate: images carry a valid signature by whom the configuration requires — keys, or keyless (a certificate
 * identity and OIDC issuer) — per registry and namespace, with required verified attestations (SLSA provenance
 * conditions on builder, build type, source repository and ref). The verification itself is a function supplied
 * by the image module (sigstore-js underneath); this gate adds what admission needs around it: the first matching
 * policy per image, each distinct image verified once per request, verdicts cached by digest and policy across
 * requests, errors, timeouts and missing trust reported as undecided (the failure mode then applies). Only
 * complete passes are cached, so a signature or attestation pushed after a denial is seen on the next attempt.
 */
import { errorMessage } from '../../core/errors.js';
import { globMatch } from '../../core/glob.js';
import { registryAllowed } from '../../rules/workload/registry-allowlist.js';
import { unmetRequirements } from '../../analysis/images/sigstore/provenance.js';
import type { AttestationRequirement, Attested } from '../../analysis/images/sigstore/provenance.js';
import type { IdentityPolicy } from '../../analysis/images/sigstore/verify-bundle.js';
import { ExpiringCache } from './cache.js';
import type { GateImage, GateResult, GateUndecided, GateViolation, ImageGate, GateContext, ImageRef } from './types.js';

/** Who must have signed: keys (PEM text, any may match) or a keyless identity; and required attestations. */
export interface SignerRequirement {
  keys?: readonly string[];
  policy?: IdentityPolicy;
  attestations?: readonly AttestationRequirement[];
}

export interface SignatureVerdict {
  verified: boolean;
  /** not-evaluated: trust could not be established (the failure mode decides). Default from `verified`. */
  status?: 'verified' | 'not-verified' | 'not-evaluated';
  /** The digest the verification was made against (resolved from the tag when the reference has none). */
  digest?: string;
  /** Why it failed, without secret material. */
  reason?: string;
  /** Verified attestations, by the same signer rule. */
  attestations?: readonly Attested[];
}

/** Verifies one image reference; rejects on lookup failure. */
export type VerifySignature = (image: string, requirement: SignerRequirement, signal: AbortSignal) => Promise<SignatureVerdict>;

export interface SignaturePolicy extends SignerRequirement {
  images: readonly string[];
  namespaces?: readonly string[];
}

export interface SignatureGateOptions {
  verify: VerifySignature;
  /** Keys for images no policy matches (PEM text). */
  keys?: readonly string[];
  policies?: readonly SignaturePolicy[];
  /** How long a successful verification of a digest is reused. Default 10 minutes. */
  cacheTtlMs?: number;
}

function signerText(r: SignerRequirement): string {
  if (r.keys && r.keys.length > 0) return 'a trusted key';
  const p = r.policy ?? {};
  const who = p.identity ?? (p.identityRegExp !== undefined ? `an identity matching ${p.identityRegExp}` : 'the required identity');
  const issuer = p.issuer ?? (p.issuerRegExp !== undefined ? `an issuer matching ${p.issuerRegExp}` : undefined);
  return issuer ? `${who} (issuer ${issuer})` : who;
}

/** The requirement for one image in one namespace: the first matching policy, else the gate's keys; none → not checked. */
export function requirementFor(ref: ImageRef, namespace: string | undefined, o: Pick<SignatureGateOptions, 'keys' | 'policies'>): { id: string; requirement: SignerRequirement } | undefined {
  const policies = o.policies ?? [];
  for (const [i, p] of policies.entries()) {
    if (!registryAllowed(ref, p.images)) continue;
    if (p.namespaces && !(namespace !== undefined && p.namespaces.some((g) => globMatch(g, namespace)))) continue;
    return { id: `policy ${i + 1}`, requirement: p };
  }
  return o.keys && o.keys.length > 0 ? { id: 'keys', requirement: { keys: o.keys } } : undefined;
}

export function signatureGate(options: SignatureGateOptions): ImageGate & { readonly cache: ExpiringCache<SignatureVerdict> } {
  const cache = new ExpiringCache<SignatureVerdict>(options.cacheTtlMs ?? 600_000);
  return {
    name: 'signature',
    cache,
    async check(images: readonly GateImage[], ctx: GateContext): Promise<GateResult> {
      const violations: GateViolation[] = [];
      const undecided: GateUndecided[] = [];
      const now = ctx.now.getTime();
      await Promise.all(
        images.map(async (img) => {
          const chosen = requirementFor(img.ref, ctx.namespace, options);
          if (!chosen) return;
          const { id, requirement } = chosen;
          let verdict = img.ref.digest ? cache.get(`${img.ref.digest}|${id}`, now) : undefined;
          if (!verdict) {
            try {
              verdict = await options.verify(img.image, requirement, ctx.signal);
            } catch (e) {
              undecided.push({ image: img.image, path: img.paths[0], reason: `signature verification failed: ${errorMessage(e)}` });
              return;
            }
            const status = verdict.status ?? (verdict.verified ? 'verified' : 'not-verified');
            if (status === 'not-evaluated') {
              undecided.push({ image: img.image, path: img.paths[0], reason: `signature could not be evaluated: ${verdict.reason ?? 'no trust material'}` });
              return;
            }
            const unmet = verdict.verified ? unmetRequirements(verdict.attestations ?? [], requirement.attestations ?? []) : [];
            const digest = verdict.digest ?? img.ref.digest;
            if (digest && verdict.verified && unmet.length === 0) cache.set(`${digest}|${id}`, verdict, now);
            if (unmet.length > 0) {
              violations.push({ image: img.image, path: img.paths[0], message: `image "${img.image}" is signed but lacks required attestations: ${unmet.join('; ')}` });
              return;
            }
          }
          if (!verdict.verified) {
            violations.push({ image: img.image, path: img.paths[0], message: `image "${img.image}" has no valid signature by ${signerText(requirement)}${verdict.reason ? ` (${verdict.reason})` : ''}` });
          }
        }),
      );
      return { violations, undecided };
    },
  };
}
