/**
 * `kubeguard image sbom|scan|verify REF` — the adapter: parse flags, call the image library
 * (src/sources/images), render. REF is a registry reference, an OCI layout dir, a docker-save tar or a rootfs dir.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppliedException, ExpiredException, Finding, NotEvaluated, ScanReport, Severity } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { applyExceptions } from '../../engine/exceptions.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { VulnDb } from '../../sources/vulndb/store.js';
import { resolveDbPath } from '../../sources/vulndb/paths.js';
import { vulnerabilityReport } from '../../analysis/vulns/report.js';
import { readSbom } from '../../analysis/vulns/sbom.js';
import { parseOpenVex } from '../../analysis/vulns/vex.js';
import type { Package as VulnPackage } from '../../analysis/vulns/package.js';
import { REPORT_SCHEMA_VERSION, SEVERITIES } from '../../core/model.js';
import { UsageError } from '../../core/errors.js';
import { TOOL, exitCodeFor } from '../../engine/scan.js';
import { RULES } from '../../engine/catalog.js';
import { REPORTERS } from '../../reporters/index.js';
import { analyzeImage, renderSbom, SBOM_FORMATS } from '../../sources/images/analyze.js';
import { loadPublicKey } from '../../analysis/images/cosign/verify-payload.js';
import { verifyImageSignature } from '../../sources/images/cosign.js';
import { parsePlatform } from '../../sources/images/oci-types.js';
import { looksLikeJson, readSbomFile } from '../../sources/images/sbom-file.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import type { ImageAnalysis } from '../../sources/images/analyze.js';
import { collect, note, oneOf, useColor, writeOutput } from '../io.js';

interface CommonFlags {
  platform?: string;
  insecureRegistry?: string[];
  output?: string;
  quiet?: boolean;
}

function client(flags: CommonFlags): RegistryClient {
  return new RegistryClient({ credentials: dockerConfigProvider(), insecureRegistries: flags.insecureRegistry, userAgent: `${TOOL.name}/${TOOL.version}` });
}

async function analyse(ref: string, flags: CommonFlags & { maxAgeDays?: string; allowTool?: string[] }): Promise<ImageAnalysis> {
  note(`analysing ${ref}`, flags.quiet);
  const maxAgeDays = flags.maxAgeDays !== undefined ? Number(flags.maxAgeDays) : undefined;
  if (maxAgeDays !== undefined && !(maxAgeDays > 0)) throw new UsageError('--max-age-days must be a positive number');
  const a = await analyzeImage(ref, {
    now: new Date(),
    platform: flags.platform ? parsePlatform(flags.platform) : undefined,
    client: client(flags),
    hygiene: { maxAgeDays, allowTools: flags.allowTool },
  });
  note(`${a.packages.length} packages, ${a.stats.files} files, ${Math.round(a.stats.uncompressedBytes / 1048576)} MiB uncompressed`, flags.quiet);
  for (const n of a.notes) note(`note: ${n}`, flags.quiet);
  return a;
}

interface ReportParts {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  suppressed: AppliedException[];
  expiredExceptions: ExpiredException[];
}

function reportOf(p: ReportParts): ScanReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, p.findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: TOOL,
    ...p,
    errors: [],
    skipped: [],
    summary: { resources: 1, findings: p.findings.length, bySeverity, errors: 0, notEvaluated: p.notEvaluated.length, suppressed: p.suppressed.length, skipped: 0 },
  };
}

interface VulnFlags {
  config?: string;
  db?: string;
  ignoreUnfixed?: boolean;
  vex?: string[];
  vulns: boolean;
}

/** Hygiene findings (images) plus vulnerabilities from the local database, with config exceptions applied. */
function imageReport(ref: string, packages: readonly VulnPackage[], hygiene: ReportParts, flags: VulnFlags, sbom?: { file: string; pointers: string[] }): ScanReport {
  const parts: ReportParts = { ...hygiene, findings: [...hygiene.findings], notEvaluated: [...hygiene.notEvaluated], suppressed: [...hygiene.suppressed] };
  const resource = { apiVersion: 'kubeguard.io/v1', kind: 'ContainerImage', name: ref };
  let aliases = new Map<string, string[]>();
  if (flags.vulns) {
    let db: VulnDb | undefined;
    try {
      db = VulnDb.open(resolveDbPath({ flag: flags.db }));
    } catch (e) {
      // no database: vulnerabilities could not be evaluated (never "no vulnerabilities")
      parts.notEvaluated.push({ ruleId: 'vulnerabilities', resource, reason: errorMessage(e) });
    }
    if (db) {
      try {
        const vex = (flags.vex ?? []).map((f) => parseOpenVex(JSON.parse(readFileSync(f, 'utf8'))));
        const v = vulnerabilityReport(db, packages, { resource, file: sbom?.file, pathOf: sbom && ((i) => sbom.pointers[i]), ignoreUnfixed: flags.ignoreUnfixed, vex, vexProducts: [ref] });
        parts.findings.push(...v.findings);
        parts.notEvaluated.push(...v.notEvaluated);
        parts.suppressed.push(...v.suppressed);
        aliases = v.aliases;
      } finally {
        db.close();
      }
    }
  }
  const { config } = loadConfig(flags.config);
  const applied = applyExceptions(parts.findings, config.exceptions ?? [], new Date(), (id) => aliases.get(id) ?? []);
  return reportOf({ ...parts, findings: applied.findings, suppressed: [...parts.suppressed, ...applied.suppressed], expiredExceptions: applied.expired });
}

const common = (c: Command): Command =>
  c
    .option('--platform <os/arch[/variant]>', 'platform to select from a multi-platform image (default linux/amd64)')
    .option('--insecure-registry <host[:port]>', 'allow plain HTTP to this registry (loopback always allowed; repeatable)', collect)
    .option('--output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr');

export function registerImage(program: Command): void {
  const image = program.command('image').description('container images: SBOM, hygiene scan, cosign signature verification');

  common(image.command('sbom').description('list the packages of an image as an SBOM').argument('<ref>', 'registry reference, OCI layout dir, docker-save tar, rootfs dir, or a CycloneDX/SPDX JSON file'))
    .option('--format <format>', `output format: ${SBOM_FORMATS.join('|')}`, 'table')
    .action(async (ref: string, flags: CommonFlags & { format: string }) => {
      const format = oneOf(flags.format, SBOM_FORMATS, '--format');
      if (await looksLikeJson(ref)) {
        // An existing CycloneDX/SPDX document: convert it (its packages are what later matching uses).
        const doc = await readSbomFile(ref);
        note(`${doc.format} ${doc.specVersion}: ${doc.packages.length} packages with purls (${doc.skipped} without)`, flags.quiet);
        writeOutput(renderSbom({ image: { kind: 'rootfs', reference: doc.subject ?? ref, layerDigests: [] }, packages: doc.packages }, format, new Date(), TOOL), flags.output);
        return;
      }
      const a = await analyse(ref, flags);
      writeOutput(renderSbom(a, format, new Date(), TOOL), flags.output);
    });

  common(image.command('scan').description('vulnerabilities (local database) and image hygiene findings (root user, build tools, setuid, secrets, ports, age)').argument('<ref>', 'image reference or path, or a CycloneDX/SPDX JSON SBOM'))
    .option('-o, --format <format>', `output format: ${Object.keys(REPORTERS).join('|')}`, 'table')
    .option('--db <path>', 'vulnerability database (default $KUBEGUARD_DB or ~/.cache/kubeguard/vulns.db)')
    .option('--ignore-unfixed', 'leave out vulnerabilities without a fixed version')
    .option('--vex <file>', 'OpenVEX document: not_affected statements suppress findings (repeatable)', collect)
    .option('--no-vulns', 'hygiene only, no vulnerability matching')
    .option('-c, --config <file>', 'config file for exceptions (default: ./kubeguard.yaml when present)')
    .option('--fail-on <severity>', `exit 1 when findings at or above: ${SEVERITIES.join('|')}`, 'high')
    .option('--max-age-days <n>', 'image-age threshold in days (default 180)')
    .option('--allow-tool <name>', 'a build tool the runtime needs (e.g. npm; repeatable)', collect)
    .option('--no-color', 'never colour the output')
    .action(async (ref: string, flags: CommonFlags & VulnFlags & { format: string; failOn: string; maxAgeDays?: string; allowTool?: string[]; color: boolean }) => {
      const format = oneOf(flags.format, Object.keys(REPORTERS), '--format');
      const failOn = oneOf(flags.failOn, SEVERITIES, '--fail-on');
      let report: ScanReport;
      if (await looksLikeJson(ref)) {
        const sbom = readSbom(JSON.parse(readFileSync(ref, 'utf8')));
        note(`${sbom.format} SBOM: ${sbom.packages.length} packages`, flags.quiet);
        report = imageReport(ref, sbom.packages, { findings: [], notEvaluated: [], suppressed: [], expiredExceptions: [] }, flags, { file: ref, pointers: sbom.pointers });
      } else {
        const a = await analyse(ref, flags);
        report = imageReport(ref, a.packages, { findings: a.hygiene.findings, notEvaluated: a.hygiene.notEvaluated, suppressed: [], expiredExceptions: [] }, flags);
      }
      const color = format === 'table' && !flags.output && useColor(flags.color);
      writeOutput(REPORTERS[format](report, { color, rules: RULES }), flags.output);
      process.exitCode = exitCodeFor(report, failOn);
    });

  common(image.command('verify').description('verify cosign key-based signatures of an image').argument('<ref>', 'registry reference'))
    .requiredOption('--key <file>', 'PEM public key (ECDSA P-256, Ed25519 or RSA; repeatable: any may match)', collect)
    .option('--format <format>', 'text|json', 'text')
    .action(async (ref: string, flags: CommonFlags & { key: string[]; format: string }) => {
      const format = oneOf(flags.format, ['text', 'json'], '--format');
      const keys = flags.key.map((f) => {
        try {
          return loadPublicKey(readFileSync(f));
        } catch (e) {
          throw new UsageError(`--key ${f}: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
      const r = await verifyImageSignature(ref, keys, undefined, { client: client(flags) });
      const text =
        format === 'json'
          ? JSON.stringify(r, null, 2) + '\n'
          : r.verified
            ? `Verified: ${r.reference} (${r.digest}) is signed by key sha256:${r.keys.join(', sha256:')}\n`
            : `NOT verified: ${r.reference} (${r.digest}): ${r.reasons.join('; ')}\n`;
      writeOutput(text, flags.output);
      process.exitCode = r.verified ? 0 : 1;
    });
}
