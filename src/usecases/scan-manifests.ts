/**
 * `scan`: loaded inputs judged by the rule catalogue, the config's CEL rules and the ValidatingAdmissionPolicies
 * given or found among the inputs; with `images`, the vulnerabilities of the images the workloads run (and their
 * signatures when admission.images.signature is configured) added to the one report.
 */
import type { Rule } from '../core/rule.js';
import type { ScanReport } from '../core/model.js';
import type { KubeguardConfig } from '../engine/config.js';
import { RULES } from '../engine/catalog.js';
import { dynamicRuleSetting, resolveRules } from '../engine/resolve-rules.js';
import type { ResolvedRule } from '../engine/resolve-rules.js';
import { hasPolicies } from '../engine/policy-kinds.js';
import { scan } from '../engine/scan.js';
import { extendReport } from '../engine/report.js';
import type { ImageVulnerability } from '../analysis/paths/build.js';
import type { SignatureSettings } from '../sources/sigstore/signature-settings.js';
import { emptyLoadResult, loadPaths } from '../sources/files/load.js';
import type { Inputs } from './inputs.js';

export interface ManifestScanOptions {
  config: KubeguardConfig;
  /** The config file (relative paths in it, CEL rule locations). */
  configFile?: string;
  /** `--policy`: files and folders of ValidatingAdmissionPolicies (with bindings and params). */
  policyPaths?: readonly string[];
  now: Date;
  /** `--images`: also scan the images the workloads run. */
  images?: { db?: string; insecureRegistries?: string[]; ignoreUnfixed?: boolean };
  onNote?: (message: string) => void;
}

export interface ManifestScan {
  report: ScanReport;
  /** The rules that ran (with their settings): the exit code and the presets' fail policy depend on them. */
  rules: ResolvedRule[];
  /** Every rule that could have run (catalogue + CEL rules), for rendering. */
  catalog: Rule[];
  /** The images' vulnerabilities, when --images ran (the attack paths a whole-cluster upload sends). */
  vulnerabilities?: ReadonlyMap<string, readonly ImageVulnerability[]>;
}

export async function scanManifests(loaded: Inputs, o: ManifestScanOptions): Promise<ManifestScan> {
  const { config } = o;
  const policies = o.policyPaths?.length ? loadPaths([...o.policyPaths]) : emptyLoadResult();
  // the CEL engine is loaded only when there are policies to compile
  const [{ vapRules }, { celRules }] = hasPolicies(config, loaded.resources, policies.resources)
    ? await Promise.all([import('../engine/vap-rules.js'), import('../engine/cel-rules.js')])
    : [{ vapRules: () => ({ rules: [], skipped: [] }) }, { celRules: () => [] }];
  const vap = vapRules(loaded.resources, policies.resources, (id) => dynamicRuleSetting(config, id));
  const catalog = [...RULES, ...celRules(config, policies.resources, new Set(RULES.map((r) => r.id)), o.configFile)];
  const rules = [...resolveRules(catalog, config), ...vap.rules];
  const enabled = new Set(rules.map((r) => r.rule.id));
  o.onNote?.(`scanning ${loaded.resources.length} objects from ${loaded.files} files with ${rules.length} rules`);
  let report = scan(loaded.resources, {
    rules,
    exceptions: config.exceptions,
    annotationExceptions: config.annotationExceptions,
    now: o.now,
    errors: [...loaded.errors, ...policies.errors],
    skipped: [...loaded.skipped, ...policies.skipped, ...vap.skipped],
    // kinds the source could not read matter only to the rules that run
    notEvaluated: loaded.notEvaluated.filter((n) => n.ruleId === undefined || enabled.has(n.ruleId)),
  });
  if (!o.images) return { report, rules, catalog };
  // loaded only when asked: the image scanner and its libraries are most of a small scan's start-up
  const [{ workloadImageFindings }, { signatureChecks, workloadSignatureFindings }, { RegistryClient }, { dockerConfigProvider }] = await Promise.all([
    import('./images/workload-findings.js'),
    import('./images/signature-findings.js'),
    import('../sources/images/registry/client.js'),
    import('../sources/images/registry/credentials.js'),
  ]);
  // signatures, judged as the webhook judges them, when the config says whose signatures images need; the same
  // verdicts give the images' verified SBOM attestations, used instead of analysing their layers
  const signature = (config.admission as { images?: { signature?: SignatureSettings } } | undefined)?.images?.signature;
  const client = new RegistryClient({ credentials: dockerConfigProvider(), insecureRegistries: o.images.insecureRegistries });
  const checks = signature ? signatureChecks(signature, { client, configFile: o.configFile, onProgress: o.onNote }) : undefined;
  const parts = await workloadImageFindings(loaded.resources, config.exceptions ?? [], { ...o.images, onProgress: o.onNote, signatures: checks });
  report = extendReport(report, parts);
  if (checks) report = extendReport(report, await workloadSignatureFindings(loaded.resources, checks, { exceptions: config.exceptions ?? [] }));
  return { report, rules, catalog, vulnerabilities: parts.vulnerabilities };
}
