/**
 * Gate: every image carries a cosign signature by one of the configured keys. The verification itself is a
 * function supplied by the image analysis (cosign) module; this gate adds what admission needs around it:
 * each distinct image verified once per request, verdicts cached by digest across requests, errors and
 * timeouts reported as undecided (the failure mode then applies). Only successful verifications are cached,
 * so a signature pushed after a denial is seen on the next attempt.
 */
import { errorMessage } from '../../core/errors.js';
import { ExpiringCache } from './cache.js';
import type { GateImage, GateResult, GateUndecided, GateViolation, ImageGate, GateContext } from './types.js';

export interface SignatureVerdict {
  verified: boolean;
  /** The digest the verification was made against (resolved from the tag when the reference has none). */
  digest?: string;
  /** Why it failed, without secret material. */
  reason?: string;
}

/** Verifies the signature of one image reference against public keys; rejects on lookup failure. */
export type VerifySignature = (image: string, keys: readonly string[], signal: AbortSignal) => Promise<SignatureVerdict>;

export interface SignatureGateOptions {
  verify: VerifySignature;
  keys: readonly string[];
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
          let verdict = img.ref.digest ? cache.get(img.ref.digest, now) : undefined;
          if (!verdict) {
            try {
              verdict = await options.verify(img.image, options.keys, ctx.signal);
            } catch (e) {
              undecided.push({ image: img.image, path: img.paths[0], reason: `signature verification failed: ${errorMessage(e)}` });
              return;
            }
            const digest = verdict.digest ?? img.ref.digest;
            if (digest && verdict.verified) cache.set(digest, verdict, now);
          }
          if (!verdict.verified) {
            violations.push({ image: img.image, path: img.paths[0], message: `image "${img.image}" has no valid signature by a trusted key${verdict.reason ? ` (${verdict.reason})` : ''}` });
          }
        }),
      );
      return { violations, undecided };
    },
  };
}
