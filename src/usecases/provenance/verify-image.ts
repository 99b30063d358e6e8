/**
 * `image verify REF`: the signatures (and attestations) attached to an image in its registry, key-based
 * (`--key`, any may match) or keyless (identity + issuer against the trusted root). Flags are checked first
 * (usage errors, exit 2); a trusted root that cannot be read is "could not evaluate" (exit 3).
 */
import { UsageError } from '../../core/errors.js';
import { policyProblem } from '../../analysis/images/sigstore/verify-bundle.js';
import type { IdentityPolicy } from '../../analysis/images/sigstore/verify-bundle.js';
import { TrustError } from '../../analysis/images/sigstore/errors.js';
import { verifyImageSignatures } from '../../sources/images/cosign.js';
import type { SignatureCache, SignatureResult } from '../../sources/images/cosign.js';
import type { RegistryClient } from '../../sources/images/registry/client.js';
import { loadTrustedRoot } from '../../sources/sigstore/trusted-root.js';
import { readPublicKey } from './verify-blob.js';

export interface VerifyImageRequest {
  reference: string;
  keys?: readonly string[];
  policy: IdentityPolicy;
  trustedRoot?: string;
  client: RegistryClient;
  cache?: SignatureCache;
  env?: NodeJS.ProcessEnv;
}

export type VerifyImageOutcome = SignatureResult & { trustedRoot?: string };

/** Usage problems of a key/identity choice (shared by the CLI and the webhook's configuration). */
export function signerChoiceProblem(keys: readonly unknown[], policy: IdentityPolicy): string | undefined {
  const identity = policy.identity ?? policy.identityRegExp;
  const issuer = policy.issuer ?? policy.issuerRegExp;
  if (keys.length > 0 && (identity ?? issuer) !== undefined) return 'give --key, or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], not both';
  if (keys.length === 0 && (identity === undefined || issuer === undefined)) return 'give --key, or keyless: --certificate-identity (or --certificate-identity-regexp) and --certificate-oidc-issuer (or --certificate-oidc-issuer-regexp)';
  return policyProblem(policy);
}

export async function verifyImageRequest(req: VerifyImageRequest): Promise<VerifyImageOutcome> {
  const problem = signerChoiceProblem(req.keys ?? [], req.policy);
  if (problem) throw new UsageError(problem);
  const keys = (req.keys ?? []).map(readPublicKey);
  let root;
  try {
    root = loadTrustedRoot({ file: req.trustedRoot, env: req.env });
  } catch (e) {
    if (!(e instanceof TrustError)) throw e;
    return { reference: req.reference, digest: '', verified: false, status: 'not-evaluated', keys: [], signers: [], attestations: [], checks: [], reasons: [e.message] };
  }
  const r = await verifyImageSignatures(req.reference, { client: req.client, keys, policy: keys.length > 0 ? undefined : req.policy, trustedRoot: root.json, cache: req.cache });
  return { ...r, trustedRoot: root.source };
}
