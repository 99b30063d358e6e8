/**
 * `image scan`: one image (or a CycloneDX/SPDX SBOM) → hygiene findings and vulnerabilities from the local
 * database, with OpenVEX statements and exceptions applied, in one report; the package list from a verified SBOM
 * attestation instead of the layers when a signer is named (usecases/provenance/attested-image.ts); optionally
 * recorded for the admission webhook's scan-result gate (`--record`), and the webhook's queue (`--pending`).
 */
import { readFileSync } from 'node:fs';
import type { AppliedException, Finding, ImageSource, NotEvaluated, ResourceRef, ScanReport } from '../../core/model.js';
import { SourceError, UsageError, errorMessage } from '../../core/errors.js';
import { parseJson } from '../../core/json-error.js';
import { appendAll } from '../../core/append.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { applyExceptions } from '../../engine/exceptions.js';
import { buildReport, countBySeverity } from '../../engine/report.js';
import { vulnerabilityReport } from '../../analysis/vulns/report.js';
import { readSbom } from '../../analysis/vulns/sbom.js';
import { parseOpenVex } from '../../analysis/vulns/vex.js';
import type { Package as VulnPackage } from '../../analysis/vulns/package.js';
import { describePackageSource, describeScan } from '../../analysis/images/sigstore/attested-content.js';
import { looksLikeJson } from '../../sources/images/sbom-file.js';
import { isRegistryInput } from '../../sources/images/load-image.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';
import { VulnDb } from '../../sources/vulndb/store.js';
import { resolveDbPath } from '../../sources/vulndb/paths.js';
import { imageKey } from '../../sources/scan-results/image-key.js';
import type { ScanRecord, ScanResultStore } from '../../sources/scan-results/store.js';
import type { AnalyzeOptions } from './analyze.js';
import { analyzeImage } from './analyze.js';
import type { AttestedImage, SbomSource, SignerFlags } from '../provenance/attested-image.js';
import { attestedImage, scanSigner } from '../provenance/attested-image.js';

export interface ImageScanOptions extends AnalyzeOptions {
  /** Match vulnerabilities (false: hygiene only). */
  vulns: boolean;
  /** The vulnerability database (default $KUBEGUARD_DB or the user cache). */
  db?: string;
  ignoreUnfixed?: boolean;
  /** OpenVEX documents (files): not_affected statements suppress findings. */
  vex?: readonly string[];
  /** The config's exceptions and the server's approved ones. */
  exceptions?: readonly ExceptionSpec[];
  /** Where a registry image's package list comes from (default auto: a verified attestation when a signer is named). */
  sbomSource?: SbomSource;
  /** The signer whose attestations are trusted: flags, else the config's admission.images.signature policy. */
  signer?: { flags: SignerFlags; settings?: SignatureSettings; configFile?: string };
}

/** What `--record` stores: the vulnerability findings that survived VEX and exceptions, and the database used. */
interface VulnOutcome {
  findings: Finding[];
  dbBuiltAt: string;
  dbSchema: string;
}

export interface ImageScan {
  /** The report, with where the image's packages came from (`images`). */
  report: ScanReport;
  /** Absent when vulnerabilities were not matched (no database, or hygiene only). */
  vulns?: VulnOutcome;
  /** The digests the image resolved to (registry and layouts), for recording. */
  manifestDigest?: string;
  indexDigest?: string;
  /** Set when --sbom-source attestation found no SBOM: the report says so and nothing is recorded. */
  unrecorded?: true;
}

/** The object image findings are about. */
export function imageResource(ref: string): ResourceRef {
  return { apiVersion: 'kubeguard.io/v1', kind: 'ContainerImage', name: ref };
}

interface Parts {
  findings: readonly Finding[];
  notEvaluated: readonly NotEvaluated[];
}

/** Hygiene parts plus vulnerabilities from the local database, with VEX and exceptions applied. */
function imageReport(ref: string, packages: readonly VulnPackage[], hygiene: Parts, opts: ImageScanOptions, sbom?: { file: string; pointers: string[] }): ImageScan {
  const findings = [...hygiene.findings];
  const notEvaluated = [...hygiene.notEvaluated];
  const suppressed: AppliedException[] = [];
  const resource = imageResource(ref);
  let aliases = new Map<string, string[]>();
  let vulnFindings: Set<Finding> | undefined;
  let dbStatus: { builtAt: string; schemaVersion: string } | undefined;
  if (opts.vulns) {
    let db: VulnDb | undefined;
    try {
      db = VulnDb.open(resolveDbPath({ flag: opts.db }));
    } catch (e) {
      // no database: vulnerabilities could not be evaluated (never "no vulnerabilities")
      notEvaluated.push({ ruleId: 'vulnerabilities', resource, reason: errorMessage(e) });
    }
    if (db) {
      try {
        const vex = (opts.vex ?? []).map((f) => parseOpenVex(parseJson(readFileSync(f, 'utf8'))));
        const v = vulnerabilityReport(db, packages, { resource, file: sbom?.file, pathOf: sbom && ((i) => sbom.pointers[i]), ignoreUnfixed: opts.ignoreUnfixed, vex, vexProducts: [ref] });
        appendAll(findings, v.findings);
        appendAll(notEvaluated, v.notEvaluated);
        appendAll(suppressed, v.suppressed);
        aliases = v.aliases;
        vulnFindings = new Set(v.findings);
        dbStatus = db.status();
      } finally {
        db.close();
      }
    }
  }
  const applied = applyExceptions(findings, opts.exceptions ?? [], opts.now, (id) => aliases.get(id) ?? []);
  const report = buildReport({ resources: 1, findings: applied.findings, notEvaluated, suppressed: [...suppressed, ...applied.suppressed], expiredExceptions: applied.expired });
  if (!vulnFindings || !dbStatus) return { report };
  return { report, vulns: { findings: applied.findings.filter((f) => vulnFindings.has(f)), dbBuiltAt: dbStatus.builtAt, dbSchema: dbStatus.schemaVersion } };
}

/** The report with where the image's package list came from. */
function withSource(scan: ImageScan, source: ImageSource): ImageScan {
  return { ...scan, report: { ...scan.report, images: [source] } };
}

/**
 * The image's verified attestations, when a signer is named and the input is a registry reference; undefined
 * otherwise (the layers are analysed as before).
 */
async function attestedFor(ref: string, opts: ImageScanOptions): Promise<AttestedImage | undefined> {
  const from = opts.sbomSource ?? 'auto';
  const signer = opts.signer && scanSigner(ref, opts.signer.flags, opts.signer.settings, opts.signer.configFile);
  if (from === 'attestation' && !signer) throw new UsageError('--sbom-source attestation needs a signer: --key or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], or an admission.images.signature policy for the image');
  if (from === 'layers' || !signer || !(await isRegistryInput(ref))) return undefined;
  opts.onNote?.(`verifying the attestations of ${ref} (signer from ${signer.from})`);
  const attested = await attestedImage(ref, signer, { client: opts.client ?? new RegistryClient({ credentials: dockerConfigProvider() }) });
  for (const s of attested.source.scans ?? []) opts.onNote?.(`attested vulnerability scan: ${describeScan(s)}`);
  return attested;
}

/** One image input (reference, OCI layout, archive, rootfs) or a CycloneDX/SPDX SBOM file, scanned. */
export async function scanImage(ref: string, opts: ImageScanOptions): Promise<ImageScan> {
  if (await looksLikeJson(ref)) {
    const sbom = readSbom(parseJson(readFileSync(ref, 'utf8')));
    opts.onNote?.(`${sbom.format} SBOM: ${sbom.packages.length} packages`);
    return withSource(imageReport(ref, sbom.packages, { findings: [], notEvaluated: [] }, opts, { file: ref, pointers: sbom.pointers }), { image: ref, packages: 'sbom' });
  }
  const attested = await attestedFor(ref, opts);
  if (attested?.sbom) {
    opts.onNote?.(`packages from ${describePackageSource(attested.source)}: ${attested.sbom.packages.length} (layers not analysed)`);
    return withSource(imageReport(ref, attested.sbom.packages, { findings: [], notEvaluated: [] }, opts), attested.source);
  }
  if (attested && opts.sbomSource === 'attestation') {
    // asked for the attested SBOM only: without one, vulnerabilities could not be evaluated (never "none")
    const reason = `--sbom-source attestation: ${attested.source.note ?? 'no verified SBOM attestation'}`;
    return { report: { ...buildReport({ resources: 1, findings: [], notEvaluated: [{ ruleId: 'vulnerabilities', resource: imageResource(ref), reason }] }), images: [attested.source] }, unrecorded: true };
  }
  if (attested?.source.note) opts.onNote?.(`analysing the layers: ${attested.source.note}`);
  const a = await analyzeImage(ref, opts);
  const source: ImageSource = attested?.source ?? { image: ref, packages: 'layers' };
  return {
    ...withSource(imageReport(ref, a.packages, a.hygiene, opts), { ...source, ...(a.image.manifestDigest !== undefined && source.digest === undefined && { digest: a.image.manifestDigest }) }),
    ...(a.image.manifestDigest !== undefined && { manifestDigest: a.image.manifestDigest }),
    ...(a.image.indexDigest !== undefined && { indexDigest: a.image.indexDigest }),
  };
}

/**
 * Stores the vulnerability counts of a scan under the image reference `as` (what the webhook will see). Refuses a
 * scan whose vulnerabilities could not be evaluated: a missing database must never record "no vulnerabilities".
 */
export function recordScan(store: ScanResultStore, as: string, scanned: ImageScan, ignoreUnfixed?: boolean): ScanRecord {
  const { vulns } = scanned;
  if (!vulns) {
    const why = scanned.report.notEvaluated.find((n) => n.ruleId === 'vulnerabilities')?.reason ?? 'no vulnerability database';
    throw new SourceError(`${as}: vulnerabilities could not be evaluated, so no scan result was recorded: ${why}`);
  }
  const key = imageKey(as);
  const manifestDigest = scanned.manifestDigest ?? key.digest;
  const record: ScanRecord = {
    reference: key.reference,
    ...(manifestDigest !== undefined && { manifestDigest }),
    ...(scanned.indexDigest !== undefined && { indexDigest: scanned.indexDigest }),
    scannedAt: new Date(),
    counts: countBySeverity(vulns.findings),
    vulnDbBuiltAt: vulns.dbBuiltAt,
    vulnDbSchema: vulns.dbSchema,
    ...(ignoreUnfixed && { ignoreUnfixed: true }),
  };
  store.record(record);
  return record;
}

/** Scans `ref` and records it under `as` (default: `ref`); an SBOM needs `as`, since it does not name its image. */
export async function scanAndRecord(ref: string, store: ScanResultStore, opts: ImageScanOptions & { as?: string }): Promise<{ scanned: ImageScan; record?: ScanRecord }> {
  if (opts.as === undefined && (await looksLikeJson(ref))) throw new UsageError('--record of an SBOM needs --record-as IMAGE: the SBOM file does not say which image the webhook will see');
  const scanned = await scanImage(ref, opts);
  if (scanned.unrecorded) return { scanned };
  return { scanned, record: recordScan(store, opts.as ?? ref, scanned, opts.ignoreUnfixed) };
}

/** One queued image: recorded, or why it failed (it stays queued). */
export type PendingResult = { reference: string; record: ScanRecord } | { reference: string; failed: string };

/** Every image the webhook queued, scanned and recorded (which takes it off the queue), in queue order. */
export async function scanPending(store: ScanResultStore, opts: ImageScanOptions): Promise<PendingResult[]> {
  const queue = store.pending();
  opts.onNote?.(`${queue.length} image(s) queued for a scan in ${store.path}`);
  const out: PendingResult[] = [];
  for (const item of queue) {
    try {
      const { scanned, record } = await scanAndRecord(item.reference, store, { ...opts, as: undefined });
      if (record) out.push({ reference: item.reference, record });
      else out.push({ reference: item.reference, failed: scanned.report.notEvaluated.map((n) => n.reason).join('; ') });
    } catch (e) {
      out.push({ reference: item.reference, failed: errorMessage(e) });
    }
  }
  return out;
}
