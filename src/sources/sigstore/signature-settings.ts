/**
 * `admission.images.signature` as the signature checks use it (webhook gate and `scan --images`): key files read
 * (PEM text passes through), each policy checked for a usable signer, the trusted root file readable. Problems are
 * configuration errors, found at start-up rather than on the first image.
 */
import { readFileSync } from 'node:fs';
import { RE2JS } from 're2js';
import { ConfigError, errorMessage } from '../../core/errors.js';
import type { SignaturePolicy } from '../../analysis/images/sigstore/signature-policy.js';
import type { AttestationRequirement } from '../../analysis/images/sigstore/provenance.js';
import { loadTrustedRoot } from './trusted-root.js';
import { SEVERITIES, isSeverity } from '../../core/model.js';
import { VULN_PREDICATE, isVulnPredicate } from '../../analysis/images/sigstore/attested-content.js';

/** `admission.images.signature` (the webhook's signature gate; `scan --images` reads the same). */
export interface SignatureSettings {
  /** Public keys (PEM text or files) for images no policy matches: any may match. */
  keys?: string[];
  /** Sigstore trusted root file (default: the stored `trust update` root, else the shipped public-good root). */
  trustedRoot?: string;
  /** Signer policies; the first matching entry decides. */
  policies?: {
    /** Image references (registry path prefixes or globs, matched as `allowedRegistries` entries are). */
    images: string[];
    /** Namespaces (names or globs); every namespace when absent. */
    namespaces?: string[];
    keys?: string[];
    identity?: string;
    identityRegExp?: string;
    issuer?: string;
    issuerRegExp?: string;
    /** Attestations that must be attached and verified by the same signer rule (SLSA conditions). */
    attestations?: AttestationRequirement[];
  }[];
}

const compiles = (re: string) => {
  try {
    RE2JS.compile(re);
    return true;
  } catch {
    return false;
  }
};

function policyProblem(p: NonNullable<SignatureSettings['policies']>[number]): string | undefined {
  const keyless = (p.identity ?? p.identityRegExp ?? p.issuer ?? p.issuerRegExp) !== undefined;
  if (p.keys) return keyless ? 'give keys, or identity and issuer, not both' : undefined;
  if ((p.identity ?? p.identityRegExp) === undefined || (p.issuer ?? p.issuerRegExp) === undefined) return 'a keyless policy needs identity (or identityRegExp) and issuer (or issuerRegExp)';
  if (p.identity !== undefined && p.identityRegExp !== undefined) return 'give identity or identityRegExp, not both';
  if (p.issuer !== undefined && p.issuerRegExp !== undefined) return 'give issuer or issuerRegExp, not both';
  if ([p.identityRegExp, p.issuerRegExp].some((re) => re !== undefined && !compiles(re))) return 'invalid regular expression (RE2 syntax)';
  for (const a of p.attestations ?? []) {
    const vuln = isVulnPredicate(a.predicateType);
    if (!vuln && (a.maxAgeHours ?? a.failOn ?? a.scanner) !== undefined) return `maxAgeHours, failOn and scanner apply to vulnerability-scan attestations (${VULN_PREDICATE}), not ${a.predicateType}`;
    if (a.maxAgeHours !== undefined && !(typeof a.maxAgeHours === 'number' && a.maxAgeHours > 0)) return 'maxAgeHours must be a positive number';
    if (a.failOn !== undefined && !isSeverity(a.failOn)) return `failOn must be one of ${SEVERITIES.join(', ')}`;
  }
  return undefined;
}

/** The settings with key files read; throws ConfigError on an unusable policy, key file or trusted root. */
export function resolveSignatureSettings(s: SignatureSettings, file?: string): SignatureSettings {
  const read = (keys: string[]) =>
    keys.map((k) => {
      if (k.includes('-----BEGIN')) return k;
      try {
        return readFileSync(k, 'utf8');
      } catch (e) {
        throw new ConfigError(`admission.images.signature: cannot read key file ${k}: ${errorMessage(e)}`, file, { cause: e });
      }
    });
  for (const [i, p] of (s.policies ?? []).entries()) {
    const problem = policyProblem(p);
    if (problem) throw new ConfigError(`admission.images.signature.policies[${i}]: ${problem}`, file);
  }
  if (s.trustedRoot !== undefined) {
    try {
      loadTrustedRoot({ file: s.trustedRoot });
    } catch (e) {
      throw new ConfigError(`admission.images.signature.trustedRoot: ${errorMessage(e)}`, file, { cause: e });
    }
  }
  return { ...s, ...(s.keys && { keys: read(s.keys) }), ...(s.policies && { policies: s.policies.map((p) => ({ ...p, ...(p.keys && { keys: read(p.keys) }) })) }) };
}

/** Settings policies as the signature policy module takes them. */
export function signaturePolicies(s: SignatureSettings): SignaturePolicy[] {
  return (s.policies ?? []).map((p) => ({
    images: p.images,
    ...(p.namespaces && { namespaces: p.namespaces }),
    ...(p.keys ? { keys: p.keys } : { policy: { identity: p.identity, identityRegExp: p.identityRegExp, issuer: p.issuer, issuerRegExp: p.issuerRegExp } }),
    ...(p.attestations && { attestations: p.attestations }),
  }));
}
