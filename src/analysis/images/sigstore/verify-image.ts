/**
 * Is this image signed, and by whom; which attestations about it are verified? Input: what the registry holds
 * for one manifest digest (cosign `.sig` / `.att` layers restated as bundles, and Sigstore bundles attached as
 * OCI 1.1 referrers); output: a verdict per candidate and for the image.
 *
 * - A signature is a message signature over a simple-signing payload bound to the digest (checkPayload), or a
 *   DSSE in-toto statement of predicate type https://sigstore.dev/cosign/sign/v1 naming the digest (cosign's
 *   bundle-format image signatures).
 * - An attestation is any other verified in-toto statement naming the digest (SLSA provenance, SBOMs, scans).
 * - With keys, any key may match (key-based signatures need no transparency-log entry, as before); without keys,
 *   the identity policy applies (keyless). Nothing verified and some candidate "could not evaluate" (trust) →
 *   the image could not be evaluated, never "unsigned".
 */
import type { KeyObject } from 'node:crypto';
import { checkPayload } from '../cosign/verify-payload.js';
import type { BundleVerdict, IdentityPolicy, SignerInfo } from './verify-bundle.js';
import { verifyBundle } from './verify-bundle.js';
import { parseStatement } from './statement.js';
import type { Statement } from './statement.js';

export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

export interface ImageCandidate {
  /** Where it was found, for reports: `sha256-….sig layer 1`, `referrer sha256:…`. */
  origin: string;
  bundle: unknown;
  /** Message signatures: the signed simple-signing payload. */
  payload?: Buffer;
}

export interface CandidateCheck {
  origin: string;
  status: BundleVerdict['status'];
  reason?: string;
  kind?: 'signature' | 'attestation';
  signer?: SignerInfo;
  predicateType?: string;
}

export interface VerifiedAttestation {
  origin: string;
  signer: SignerInfo;
  statement: Statement;
}

export interface ImageVerdict {
  /** verified: a signature verified; not-verified: none did; not-evaluated: none did and trust was missing. */
  status: 'verified' | 'not-verified' | 'not-evaluated';
  checks: CandidateCheck[];
  signers: SignerInfo[];
  attestations: VerifiedAttestation[];
  reasons: string[];
}

export interface ImageVerifyInput {
  /** The manifest digest, `sha256:<hex>`. */
  digest: string;
  candidates: readonly ImageCandidate[];
  trustedRoot: unknown;
  keys?: readonly KeyObject[];
  policy?: IdentityPolicy;
}

function checkOne(c: ImageCandidate, digest: string, input: ImageVerifyInput, key: KeyObject | undefined): CandidateCheck & { statement?: Statement } {
  const hex = digest.replace(/^sha256:/, '');
  const artifact = c.payload ?? { sha256: hex };
  const v = verifyBundle({ bundle: c.bundle, artifact, trustedRoot: input.trustedRoot, key, policy: key ? {} : input.policy, tlogOptionalForKeys: true });
  if (v.status !== 'verified') return { origin: c.origin, status: v.status, reason: v.reason };
  if (v.content === 'message-signature') {
    const bound = checkPayload(c.payload!, digest);
    if (!bound.ok) return { origin: c.origin, status: 'not-verified', reason: bound.reason };
    return { origin: c.origin, status: 'verified', kind: 'signature', signer: v.signer };
  }
  const statement = parseStatement(v.payload!);
  if (!statement) return { origin: c.origin, status: 'not-verified', reason: 'the DSSE payload is not an in-toto statement' };
  const kind = statement.predicateType === COSIGN_SIGN_PREDICATE ? 'signature' : 'attestation';
  return { origin: c.origin, status: 'verified', kind, signer: v.signer, predicateType: statement.predicateType, statement };
}

export function verifyImage(input: ImageVerifyInput): ImageVerdict {
  const checks: CandidateCheck[] = [];
  const signers: SignerInfo[] = [];
  const attestations: VerifiedAttestation[] = [];
  const keys = input.keys && input.keys.length > 0 ? input.keys : [undefined];
  for (const c of input.candidates) {
    // with several keys, the first that verifies; else the most telling failure (not-evaluated over not-verified)
    let best: (CandidateCheck & { statement?: Statement }) | undefined;
    for (const key of keys) {
      const r = checkOne(c, input.digest, input, key);
      if (r.status === 'verified') {
        best = r;
        break;
      }
      if (!best || (best.status === 'not-verified' && r.status === 'not-evaluated')) best = r;
    }
    const { statement, ...check } = best!;
    checks.push(check);
    if (check.status !== 'verified') continue;
    if (check.kind === 'signature') {
      if (!signers.some((s) => s.keyId === check.signer!.keyId && s.identity === check.signer!.identity)) signers.push(check.signer!);
    } else if (statement) attestations.push({ origin: c.origin, signer: check.signer!, statement });
  }
  const reasons = checks.filter((c) => c.status !== 'verified').map((c) => `${c.origin}: ${c.reason}`);
  if (checks.length === 0) reasons.push('no signatures');
  else if (reasons.length === 0) reasons.push('no signature, only attestations');
  const status = signers.length > 0 ? 'verified' : checks.some((c) => c.status === 'not-evaluated') ? 'not-evaluated' : 'not-verified';
  return { status, checks, signers, attestations, reasons: signers.length > 0 ? [] : reasons };
}
