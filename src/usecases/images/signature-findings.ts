/**
 * `scan --images` with `admission.images.signature` configured: the signatures of the images the workloads run,
 * judged as the webhook's signature gate judges them (src/analysis/images/sigstore/signature-policy.ts: first
 * matching policy, keys or keyless identity, required attestations). Unsigned or wrongly signed → a finding of
 * rule `image-gate/signature` (the id the webhook reports); trust or registry trouble → "could not evaluate".
 * Each distinct image × policy is verified once per run, and the same verdicts give the image scan its verified
 * SBOM attestations (src/usecases/provenance/attested-image.ts).
 */
import type { Finding, NotEvaluated, Resource } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import type { ImageRef } from '../../core/image-ref.js';
import { containerImages } from '../../rules/workload/images.js';
import { judgeSignature, requirementFor } from '../../analysis/images/sigstore/signature-policy.js';
import type { SignatureVerdict, SignerRequirement } from '../../analysis/images/sigstore/signature-policy.js';
import type { ExtraParts } from '../../engine/report.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { applyExceptions } from '../../engine/exceptions.js';
import { requirementVerifier } from '../../sources/images/cosign.js';
import type { RegistryClient } from '../../sources/images/registry/client.js';
import { resolveSignatureSettings, signaturePolicies } from '../../sources/sigstore/signature-settings.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';

export const SIGNATURE_RULE_ID = 'image-gate/signature';

export interface SignatureChecks {
  /** The requirement for an image in a namespace (first matching policy, else the keys), with its id. */
  requirementFor(image: ImageRef, namespace: string | undefined): { id: string; requirement: SignerRequirement } | undefined;
  /** The verdict for an image under a chosen requirement, verified once per run. */
  verdict(image: string, chosen: { id: string; requirement: SignerRequirement }): Promise<SignatureVerdict | Error>;
}

export function signatureChecks(settings: SignatureSettings, o: { client: RegistryClient; configFile?: string; onProgress?: (m: string) => void }): SignatureChecks {
  const resolved = resolveSignatureSettings(settings, o.configFile);
  const policies = signaturePolicies(resolved);
  const verify = requirementVerifier({ client: o.client, trustedRoot: resolved.trustedRoot });
  const verdicts = new Map<string, Promise<SignatureVerdict | Error>>();
  return {
    requirementFor: (image, namespace) => requirementFor(image, namespace, { keys: resolved.keys, policies }),
    verdict(image, chosen) {
      const key = `${image}|${chosen.id}`;
      let pending = verdicts.get(key);
      if (!pending) {
        o.onProgress?.(`verifying the signatures and attestations of ${image}`);
        pending = verify(image, chosen.requirement).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
        verdicts.set(key, pending);
      }
      return pending;
    },
  };
}

export async function workloadSignatureFindings(resources: readonly Resource[], checks: SignatureChecks, o: { exceptions?: readonly ExceptionSpec[] } = {}): Promise<ExtraParts> {
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  for (const r of resources) {
    const seen = new Set<string>();
    for (const { image, path } of containerImages(r.object)) {
      const chosen = checks.requirementFor(image, r.ref.namespace);
      if (!chosen || seen.has(image.raw)) continue;
      seen.add(image.raw);
      const v = await checks.verdict(image.raw, chosen);
      if (v instanceof Error) {
        notEvaluated.push({ ruleId: SIGNATURE_RULE_ID, resource: r.ref, reason: `${image.raw}: signature verification failed: ${errorMessage(v)}` });
        continue;
      }
      const judged = judgeSignature(image.raw, v, chosen.requirement);
      if (judged.outcome === 'undecided') notEvaluated.push({ ruleId: SIGNATURE_RULE_ID, resource: r.ref, reason: `${image.raw}: ${judged.reason}` });
      else if (judged.outcome === 'violation') {
        findings.push({
          ruleId: SIGNATURE_RULE_ID,
          severity: 'high',
          message: judged.message,
          resource: r.ref,
          path,
          ...(r.source && { location: r.source.line === undefined ? { file: r.source.file } : { file: r.source.file, line: r.source.line } }),
          remediation: 'Sign the image (cosign sign) by the identity the policy names, attach the required attestations, or deploy an image that is.',
        });
      }
    }
  }
  const applied = applyExceptions(findings, o.exceptions ?? [], new Date());
  return { findings: applied.findings, notEvaluated, suppressed: applied.suppressed, expiredExceptions: applied.expired };
}

/**
 * The namespaces each image runs in (sorted), so the image scan can ask the signature policies of each in turn
 * whose SBOM attestation to trust.
 */
export function imageNamespaces(resources: readonly Resource[]): Map<string, { ref: ImageRef; namespaces: (string | undefined)[] }> {
  const out = new Map<string, { ref: ImageRef; namespaces: (string | undefined)[] }>();
  for (const r of resources) {
    for (const { image } of containerImages(r.object)) {
      const e = out.get(image.raw) ?? { ref: image, namespaces: [] };
      if (!e.namespaces.includes(r.ref.namespace)) e.namespaces.push(r.ref.namespace);
      out.set(image.raw, e);
    }
  }
  return out;
}
