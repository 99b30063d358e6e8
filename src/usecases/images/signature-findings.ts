/**
 * `scan --images` with `admission.images.signature` configured: the signatures of the images the workloads run,
 * judged as the webhook's signature gate judges them (src/analysis/images/sigstore/signature-policy.ts: first
 * matching policy, keys or keyless identity, required attestations). Unsigned or wrongly signed → a finding of
 * rule `image-gate/signature` (the id the webhook reports); trust or registry trouble → "could not evaluate".
 * Each distinct image × policy is verified once per run.
 */
import type { Finding, NotEvaluated, Resource } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { containerImages } from '../../rules/workload/images.js';
import { judgeSignature, requirementFor } from '../../analysis/images/sigstore/signature-policy.js';
import type { SignatureVerdict } from '../../analysis/images/sigstore/signature-policy.js';
import type { ExtraParts } from '../../engine/merge-report.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { applyExceptions } from '../../engine/exceptions.js';
import { requirementVerifier } from '../../sources/images/cosign.js';
import type { RegistryClient } from '../../sources/images/registry/client.js';
import { resolveSignatureSettings, signaturePolicies } from '../../sources/sigstore/signature-settings.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';

export const SIGNATURE_RULE_ID = 'image-gate/signature';

export async function workloadSignatureFindings(resources: readonly Resource[], settings: SignatureSettings, o: { client: RegistryClient; exceptions?: readonly ExceptionSpec[]; configFile?: string; onProgress?: (m: string) => void }): Promise<ExtraParts> {
  const resolved = resolveSignatureSettings(settings, o.configFile);
  const policies = signaturePolicies(resolved);
  const verify = requirementVerifier({ client: o.client, trustedRoot: resolved.trustedRoot });
  const verdicts = new Map<string, Promise<SignatureVerdict | Error>>();
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  for (const r of resources) {
    const namespace = r.ref.namespace;
    const seen = new Set<string>();
    for (const { image, path } of containerImages(r.object)) {
      const chosen = requirementFor(image, namespace, { keys: resolved.keys, policies });
      if (!chosen || seen.has(image.raw)) continue;
      seen.add(image.raw);
      const key = `${image.raw}|${chosen.id}`;
      let pending = verdicts.get(key);
      if (!pending) {
        o.onProgress?.(`verifying the signature of ${image.raw}`);
        pending = verify(image.raw, chosen.requirement).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
        verdicts.set(key, pending);
      }
      const v = await pending;
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
