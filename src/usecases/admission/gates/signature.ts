/**
 * Gate: images carry a valid signature by whom the configuration requires — keys, or keyless (a certificate
 * identity and OIDC issuer) — per registry and namespace, with required verified attestations (SLSA provenance
 * conditions on builder, build type, source repository and ref). The verification itself is a function supplied
 * by the image module (sigstore-js underneath); this gate adds what admission needs around it: the first matching
 * policy per image, each distinct image verified once per request, verdicts cached by digest and policy across
 * requests, errors, timeouts and missing trust reported as undecided (the failure mode then applies). Only
 * complete passes are cached, so a signature or attestation pushed after a denial is seen on the next attempt.
 */
import { errorMessage } from '../../../core/errors.js';
import { judgeSignature, requirementFor } from '../../../analysis/images/sigstore/signature-policy.js';
import type { SignaturePolicy, SignatureVerdict, SignerRequirement } from '../../../analysis/images/sigstore/signature-policy.js';
import { ExpiringCache } from './cache.js';
import type { GateImage, GateResult, GateUndecided, GateViolation, ImageGate, GateContext } from './types.js';

export { requirementFor };
export type { SignaturePolicy, SignatureVerdict, SignerRequirement };

/** Verifies one image reference; rejects on lookup failure. */
export type VerifySignature = (image: string, requirement: SignerRequirement, signal: AbortSignal) => Promise<SignatureVerdict>;

export interface SignatureGateOptions {
  verify: VerifySignature;
  /** Keys for images no policy matches (PEM text). */
  keys?: readonly string[];
  policies?: readonly SignaturePolicy[];
  /** How long a successful verification of a digest is reused. Default 10 minutes. */
  cacheTtlMs?: number;
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
          const cached = img.ref.digest ? cache.get(`${img.ref.digest}|${id}`, now) : undefined;
          if (cached) return;
          let verdict: SignatureVerdict;
          try {
            verdict = await options.verify(img.image, requirement, ctx.signal);
          } catch (e) {
            undecided.push({ image: img.image, path: img.paths[0], reason: `signature verification failed: ${errorMessage(e)}` });
            return;
          }
          const judged = judgeSignature(img.image, verdict, requirement);
          if (judged.outcome === 'undecided') undecided.push({ image: img.image, path: img.paths[0], reason: judged.reason });
          else if (judged.outcome === 'violation') violations.push({ image: img.image, path: img.paths[0], message: judged.message });
          else {
            const digest = verdict.digest ?? img.ref.digest;
            if (digest) cache.set(`${digest}|${id}`, verdict, now);
          }
        }),
      );
      return { violations, undecided };
    },
  };
}
