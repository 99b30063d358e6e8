/**
 * `image verify-blob`: one artifact and its Sigstore bundle, checked against a trusted root (and a key, or an
 * identity policy). Exit semantics (issue #27's contract): verified 0 · not verified 1 (a malformed or
 * mismatching bundle is "not verified") · usage 2 (bad flags, an unparseable --key, a keyless bundle without
 * identity constraints) · could not evaluate 3 (artifact, bundle or trusted root unreadable; no key for a key-based
 * bundle; a trusted root that cannot be used).
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { UsageError } from '../../core/errors.js';
import { PolicyMissingError, policyProblem, verifyBundle } from '../../analysis/images/sigstore/verify-bundle.js';
import type { BundleVerdict, IdentityPolicy } from '../../analysis/images/sigstore/verify-bundle.js';
import { TrustError } from '../../analysis/images/sigstore/errors.js';
import { readInputFile } from '../../sources/files/read-input.js';
import { loadTrustedRoot } from '../../sources/sigstore/trusted-root.js';

export const MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;
export const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
const MAX_KEY_BYTES = 64 * 1024;

export interface VerifyBlobRequest {
  file: string;
  bundle: string;
  trustedRoot?: string;
  key?: string;
  policy: IdentityPolicy;
  env?: NodeJS.ProcessEnv;
}

export interface VerifyBlobResult {
  verdict: BundleVerdict;
  /** Which trusted root was used (absent when none could be read). */
  trustedRoot?: string;
}

const couldNot = (reason: string): VerifyBlobResult => ({ verdict: { status: 'not-evaluated', reason } });
const why = (e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e));

/** A PEM (or DER SPKI) public key file for `--key`; unreadable or not a key is a usage error. */
export function readPublicKey(path: string): KeyObject {
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, MAX_KEY_BYTES);
  } catch (e) {
    throw new UsageError(`--key ${path}: ${why(e)}`);
  }
  try {
    return bytes.includes('-----BEGIN') ? createPublicKey(bytes) : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch {
    throw new UsageError(`--key ${path}: not a PEM or DER public key`);
  }
}

export function verifyBlob(req: VerifyBlobRequest): VerifyBlobResult {
  const problem = policyProblem(req.policy);
  if (problem) throw new UsageError(problem);
  if (req.key !== undefined && (req.policy.identity ?? req.policy.identityRegExp ?? req.policy.issuer ?? req.policy.issuerRegExp) !== undefined) {
    throw new UsageError('--key verifies a key-based bundle: certificate identity flags do not apply');
  }
  const key = req.key === undefined ? undefined : readPublicKey(req.key);
  let artifact: Buffer;
  let bundleText: string;
  try {
    artifact = readInputFile(req.file, MAX_ARTIFACT_BYTES);
  } catch (e) {
    return couldNot(`artifact ${req.file} cannot be read: ${why(e)}`);
  }
  try {
    bundleText = readInputFile(req.bundle, MAX_BUNDLE_BYTES).toString('utf8');
  } catch (e) {
    return couldNot(`bundle ${req.bundle} cannot be read: ${why(e)}`);
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(bundleText);
  } catch {
    return { verdict: { status: 'not-verified', reason: `bundle ${req.bundle} is not JSON` } };
  }
  let root;
  try {
    root = loadTrustedRoot({ file: req.trustedRoot, env: req.env });
  } catch (e) {
    if (e instanceof TrustError) return couldNot(e.message);
    throw e;
  }
  try {
    return { verdict: verifyBundle({ bundle, artifact, trustedRoot: root.json, key, policy: req.policy }), trustedRoot: root.source };
  } catch (e) {
    if (e instanceof PolicyMissingError) throw new UsageError(e.message);
    throw e;
  }
}
