/**
 * `scan --images`: the vulnerabilities of the images the workloads run, ranked by exposure and privileges, with
 * the attack paths they open and the same exceptions as rule findings. A module of its own so that a scan without
 * --images never loads the image scanner (registry client, layer readers, SBOM and vulnerability libraries).
 */
import type { ExceptionSpec } from '../../engine/config.js';
import type { Finding, Resource } from '../../core/model.js';
import type { ExtraParts } from '../../engine/report.js';
import { TOOL } from '../../engine/report.js';
import { applyExceptions } from '../../engine/exceptions.js';
import { errorMessage } from '../../core/errors.js';
import { VulnDb } from '../../sources/vulndb/store.js';
import { resolveDbPath } from '../../sources/vulndb/paths.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import { workloadVulnerabilities } from './workload-vulns.js';
import { attackPathFindings, imageVulnerabilitiesOf } from '../../analysis/paths/findings.js';
import type { ImageVulnerability } from '../../analysis/paths/build.js';
import type { WorkloadVulnOptions } from './workload-vulns.js';
import type { ImageSource } from '../../core/model.js';
import { attestedContent } from '../provenance/attested-image.js';
import { imageNamespaces } from './signature-findings.js';
import type { SignatureChecks } from './signature-findings.js';

export interface WorkloadImageOptions {
  /** --db (default $KUBEGUARD_DB or the user's cache). */
  db?: string;
  insecureRegistries?: string[];
  ignoreUnfixed?: boolean;
  onProgress?: (message: string) => void;
  /** The signature checks of admission.images.signature: their verified SBOM attestations replace layer analysis. */
  signatures?: SignatureChecks;
}

/** The findings, and the images' vulnerabilities (for the attack paths a whole-cluster upload sends). */
export async function workloadImageFindings(resources: Resource[], exceptions: readonly ExceptionSpec[], options: WorkloadImageOptions): Promise<ExtraParts & { vulnerabilities?: Map<string, ImageVulnerability[]> }> {
  let db: VulnDb;
  try {
    db = VulnDb.open(resolveDbPath({ flag: options.db }));
  } catch (e) {
    return { findings: [], notEvaluated: [{ ruleId: 'vulnerabilities', scope: 'images', reason: errorMessage(e) }] };
  }
  try {
    const client = new RegistryClient({ credentials: dockerConfigProvider(), insecureRegistries: options.insecureRegistries, userAgent: `${TOOL.name}/${TOOL.version}` });
    const now = new Date();
    const attested = attestedPackagesOf(resources, options.signatures, now, options.onProgress);
    const v = await workloadVulnerabilities(resources, { db, now, client, ignoreUnfixed: options.ignoreUnfixed, onProgress: options.onProgress, packagesOf: attested.packagesOf });
    // with the images' vulnerabilities known, paths from the internet to the critical targets (src/analysis/paths)
    const vulnerabilities = imageVulnerabilitiesOf(v.ranked);
    const paths = attackPathFindings(resources.map((r) => r.object), vulnerabilities).map((f) => locate(f, resources));
    const applied = applyExceptions([...v.findings, ...paths], exceptions, now, (id) => v.aliases.get(id) ?? []);
    return { findings: applied.findings, notEvaluated: v.notEvaluated, suppressed: applied.suppressed, expiredExceptions: applied.expired, vulnerabilities, images: attested.sources() };
  } finally {
    db.close();
  }
}

/**
 * Each image's package list from a verified SBOM attestation, when a signature policy of a namespace it runs in
 * names the signer (the first that yields one); the sources say, per image, what was used and why.
 */
function attestedPackagesOf(resources: readonly Resource[], checks: SignatureChecks | undefined, now: Date, onProgress?: (m: string) => void): { packagesOf: WorkloadVulnOptions['packagesOf']; sources: () => ImageSource[] } {
  const images = imageNamespaces(resources);
  const sources = new Map<string, ImageSource>();
  const packagesOf = async (image: string) => {
    const e = images.get(image);
    if (!checks || !e) return undefined;
    for (const namespace of e.namespaces) {
      const chosen = checks.requirementFor(e.ref, namespace);
      if (!chosen) continue;
      const a = attestedContent(image, await checks.verdict(image, chosen), now);
      if (!sources.has(image) || a.sbom) sources.set(image, a.source);
      if (a.sbom) {
        onProgress?.(`${image}: ${a.sbom.packages.length} packages from the verified ${a.source.attestation!.predicateType} attestation (layers not analysed)`);
        return { packages: a.sbom.packages, digest: a.source.digest };
      }
    }
    return undefined;
  };
  return { packagesOf, sources: () => [...images.keys()].sort().map((image) => sources.get(image) ?? { image, packages: 'layers' as const }) };
}

/** The finding with the file and line of its object, when it came from a file. */
function locate(f: Finding, resources: readonly Resource[]): Finding {
  const r = resources.find((x) => x.ref.kind === f.resource.kind && (x.ref.namespace ?? '') === (f.resource.namespace ?? '') && x.ref.name === f.resource.name);
  if (!r?.source) return f;
  return { ...f, location: r.source.line === undefined ? { file: r.source.file } : { file: r.source.file, line: r.source.line } };
}
