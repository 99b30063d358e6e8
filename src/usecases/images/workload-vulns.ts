/**
 * Vulnerabilities per deployed workload (`scan --images`): every distinct image the workloads run is analysed once
 * (and matched once per manifest digest, when two references resolve to the same image), then the results are
 * correlated with the workloads, ranked by severity, exposure and privileges (src/analysis/vulns/workloads.ts).
 */
import type { Finding, NotEvaluated, Resource } from '../../core/model.js';
import { allContainers, podTemplateOf } from '../../core/podspec.js';
import { errorMessage } from '../../core/errors.js';
import type { AdvisorySource } from '../../analysis/vulns/source.js';
import type { Vulnerability } from '../../analysis/vulns/scan.js';
import { scanPackages } from '../../analysis/vulns/scan.js';
import { vulnerabilityFinding, workloadVulnerabilityMessage } from '../../analysis/vulns/findings.js';
import { correlateWorkloads, type WorkloadVulnerabilities } from '../../analysis/vulns/workloads.js';
import { analyzeImage, type AnalyzeOptions } from './analyze.js';
import type { Package } from '../../analysis/vulns/package.js';

export interface WorkloadVulnOptions extends Omit<AnalyzeOptions, 'hygiene'> {
  db: AdvisorySource;
  ignoreUnfixed?: boolean;
  onProgress?: (message: string) => void;
  /** The package list from elsewhere (a verified SBOM attestation), instead of analysing the image's layers. */
  packagesOf?: (image: string) => Promise<{ packages: readonly Package[]; digest?: string } | undefined>;
}

export interface WorkloadVulnResult {
  ranked: WorkloadVulnerabilities[];
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  aliases: Map<string, string[]>;
}

function imagesOf(resources: readonly Resource[]): string[] {
  const images = new Set<string>();
  for (const r of resources) {
    const t = podTemplateOf(r.object);
    if (!t) continue;
    for (const c of allContainers(t.spec, t.specPath)) if (typeof c.container.image === 'string' && c.container.image) images.add(c.container.image);
  }
  return [...images].sort();
}

export async function workloadVulnerabilities(resources: readonly Resource[], opts: WorkloadVulnOptions): Promise<WorkloadVulnResult> {
  const byImage = new Map<string, Vulnerability[] | undefined>();
  const byDigest = new Map<string, Vulnerability[]>();
  const notEvaluated: NotEvaluated[] = [];
  const aliases = new Map<string, string[]>();
  for (const image of imagesOf(resources)) {
    opts.onProgress?.(`analysing image ${image}`);
    try {
      const attested = await opts.packagesOf?.(image);
      let a = attested;
      if (!a) {
        const analysed = await analyzeImage(image, opts);
        a = { packages: analysed.packages, digest: analysed.image.manifestDigest };
      }
      const digest = a.digest;
      let vulns = digest ? byDigest.get(digest) : undefined;
      if (!vulns) {
        vulns = scanPackages(opts.db, a.packages, { ignoreUnfixed: opts.ignoreUnfixed }).vulnerabilities;
        if (digest) byDigest.set(digest, vulns);
      }
      for (const v of vulns) aliases.set(v.id, v.aliases);
      byImage.set(image, vulns);
    } catch (e) {
      byImage.set(image, undefined);
      notEvaluated.push({ ruleId: 'vulnerabilities', scope: `image ${image}`, reason: `image could not be scanned: ${errorMessage(e)}` });
    }
  }
  const byRef = new Map(resources.map((r) => [`${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`, r]));
  const ranked = correlateWorkloads(resources.map((r) => r.object), (image) => byImage.get(image));
  const findings: Finding[] = [];
  ranked.forEach((w, rank) => {
    const resource = byRef.get(`${w.resource.kind}/${w.resource.namespace ?? ''}/${w.resource.name}`);
    for (const img of w.images) {
      for (const v of img.vulnerabilities ?? []) {
        const f = vulnerabilityFinding(v, { resource: w.resource, pathOf: () => `${img.path}/image` });
        f.message = workloadVulnerabilityMessage(f.message, { image: img.image, container: img.container, rank: rank + 1, of: ranked.length, exposure: w.exposure, privileges: w.privileges });
        if (resource?.source) {
          const line = resource.source.locate?.(f.path) ?? resource.source.line;
          f.location = line === undefined ? { file: resource.source.file } : { file: resource.source.file, line };
        }
        findings.push(f);
      }
    }
  });
  return { ranked, findings, notEvaluated, aliases };
}
