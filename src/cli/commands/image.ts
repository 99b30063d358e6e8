/**
 * `kubeguard image sbom|scan|verify REF` — the adapter: parse flags, call the image library
 * (src/sources/images), render. REF is a registry reference, an OCI layout dir, a docker-save tar or a rootfs dir.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppliedException, ExpiredException, Finding, ImageSource, NotEvaluated, ResourceRef, ScanReport } from '../../core/model.js';
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
import { SourceError, UsageError } from '../../core/errors.js';
import { TOOL, countBySeverity, exitCodeFor, summarise } from '../../engine/scan.js';
import { RULES } from '../../engine/catalog.js';
import { REPORTERS } from '../../reporters/index.js';
import { analyzeImage, renderSbom, SBOM_FORMATS } from '../../sources/images/analyze.js';
import { parsePlatform } from '../../sources/images/oci-types.js';
import { looksLikeJson, readSbomFile } from '../../sources/images/sbom-file.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import type { ImageAnalysis } from '../../sources/images/analyze.js';
import { imageKey } from '../../sources/scan-results/image-key.js';
import { resolveScanResultsPath } from '../../sources/scan-results/paths.js';
import type { ScanRecord } from '../../sources/scan-results/store.js';
import { ScanResultStore } from '../../sources/scan-results/store.js';
import { collect, note, oneOf, useColor, writeOutput } from '../io.js';
import type { UploadFlags } from '../upload.js';
import { exceptionsFromOption, exceptionsSource, serverExceptions, uploadOptions, uploadReport, uploadTarget } from '../upload.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { appendAll } from '../../core/append.js';
import { parseJson } from '../../core/json-error.js';
import { EXIT, exitCode } from '../../core/outcome.js';
import { verifyBlob } from '../../usecases/provenance/verify-blob.js';
import type { BundleVerdict, IdentityPolicy, SignerInfo } from '../../analysis/images/sigstore/verify-bundle.js';
import { verifyImageRequest } from '../../usecases/provenance/verify-image.js';
import { attestedSbom } from '../../analysis/images/sigstore/provenance.js';
import type { VerifyImageOutcome } from '../../usecases/provenance/verify-image.js';
import { SBOM_SOURCES, attestedImage, scanSigner } from '../../usecases/provenance/attested-image.js';
import type { AttestedImage } from '../../usecases/provenance/attested-image.js';
import { describeScan } from '../../analysis/images/sigstore/attested-content.js';
import { isRegistryInput } from '../../sources/images/load-image.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';

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

/** The object image findings are about. */
function imageResource(ref: string): ResourceRef {
  return { apiVersion: 'kubeguard.io/v1', kind: 'ContainerImage', name: ref };
}

interface ReportParts {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  suppressed: AppliedException[];
  expiredExceptions: ExpiredException[];
}

function reportOf(p: ReportParts): ScanReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: TOOL,
    ...p,
    errors: [],
    skipped: [],
    summary: summarise(1, p.findings, [], p.notEvaluated, p.suppressed.length, 0),
  };
}

interface VulnFlags {
  config?: string;
  db?: string;
  ignoreUnfixed?: boolean;
  vex?: string[];
  vulns: boolean;
  /** `--record [FILE]`: true for the default store. */
  record?: string | boolean;
  /** Approved exceptions from the server (--upload or --exceptions-from), applied with the config's. */
  serverExceptions?: ExceptionSpec[];
}

/** What `--record` stores: the vulnerability findings that survived VEX and exceptions, and the database used. */
interface VulnOutcome {
  findings: Finding[];
  dbBuiltAt: string;
  dbSchema: string;
}

/** Hygiene findings (images) plus vulnerabilities from the local database, with config exceptions applied. */
function imageReport(ref: string, packages: readonly VulnPackage[], hygiene: ReportParts, flags: VulnFlags, sbom?: { file: string; pointers: string[] }): { report: ScanReport; vulns?: VulnOutcome } {
  const parts: ReportParts = { ...hygiene, findings: [...hygiene.findings], notEvaluated: [...hygiene.notEvaluated], suppressed: [...hygiene.suppressed] };
  const resource = imageResource(ref);
  let aliases = new Map<string, string[]>();
  let vulnFindings: Set<Finding> | undefined;
  let dbStatus: { builtAt: string; schemaVersion: string } | undefined;
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
        const vex = (flags.vex ?? []).map((f) => parseOpenVex(parseJson(readFileSync(f, 'utf8'))));
        const v = vulnerabilityReport(db, packages, { resource, file: sbom?.file, pathOf: sbom && ((i) => sbom.pointers[i]), ignoreUnfixed: flags.ignoreUnfixed, vex, vexProducts: [ref] });
        appendAll(parts.findings, v.findings);
        appendAll(parts.notEvaluated, v.notEvaluated);
        appendAll(parts.suppressed, v.suppressed);
        aliases = v.aliases;
        vulnFindings = new Set(v.findings);
        dbStatus = db.status();
      } finally {
        db.close();
      }
    }
  }
  const { config } = loadConfig(flags.config);
  const applied = applyExceptions(parts.findings, [...(config.exceptions ?? []), ...(flags.serverExceptions ?? [])], new Date(), (id) => aliases.get(id) ?? []);
  const report = reportOf({ ...parts, findings: applied.findings, suppressed: [...parts.suppressed, ...applied.suppressed], expiredExceptions: applied.expired });
  if (!vulnFindings || !dbStatus) return { report };
  return { report, vulns: { findings: applied.findings.filter((f) => vulnFindings.has(f)), dbBuiltAt: dbStatus.builtAt, dbSchema: dbStatus.schemaVersion } };
}

/** `--record`: stores the vulnerability counts of a scan for the admission webhook's scan-result gate. */
function recordScan(store: ScanResultStore, input: { as: string; manifestDigest?: string; indexDigest?: string }, scanned: { report: ScanReport; vulns?: VulnOutcome }, flags: VulnFlags): ScanRecord {
  const { vulns } = scanned;
  if (!vulns) {
    const why = scanned.report.notEvaluated.find((n) => n.ruleId === 'vulnerabilities')?.reason ?? 'no vulnerability database';
    throw new SourceError(`${input.as}: vulnerabilities could not be evaluated, so no scan result was recorded: ${why}`);
  }
  const key = imageKey(input.as);
  const manifestDigest = input.manifestDigest ?? key.digest;
  const record: ScanRecord = {
    reference: key.reference,
    ...(manifestDigest !== undefined && { manifestDigest }),
    ...(input.indexDigest !== undefined && { indexDigest: input.indexDigest }),
    scannedAt: new Date(),
    counts: countBySeverity(vulns.findings),
    vulnDbBuiltAt: vulns.dbBuiltAt,
    vulnDbSchema: vulns.dbSchema,
    ...(flags.ignoreUnfixed && { ignoreUnfixed: true }),
  };
  store.record(record);
  return record;
}

const describeCounts = (r: ScanRecord) => [...SEVERITIES].reverse().map((s) => `${r.counts[s]} ${s}`).join(', ');

const common = (c: Command): Command =>
  c
    .option('--platform <os/arch[/variant]>', 'platform to select from a multi-platform image (default linux/amd64)')
    .option('--insecure-registry <host[:port]>', 'allow plain HTTP to this registry (loopback always allowed; repeatable)', collect)
    .option('--output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr');

interface ScanFlags extends CommonFlags, VulnFlags, UploadFlags, IdentityFlags {
  key?: string[];
  sbomSource: string;
  format: string;
  failOn: string;
  maxAgeDays?: string;
  allowTool?: string[];
  color: boolean;
  recordAs?: string;
  pending?: boolean;
}

/** One image (or SBOM) scanned, and recorded when a store is given. */
async function scanOne(ref: string, flags: ScanFlags, store?: ScanResultStore): Promise<{ report: ScanReport; recorded?: ScanRecord }> {
  if (await looksLikeJson(ref)) {
    if (store && flags.recordAs === undefined) throw new UsageError('--record of an SBOM needs --record-as IMAGE: the SBOM file does not say which image the webhook will see');
    const sbom = readSbom(parseJson(readFileSync(ref, 'utf8')));
    note(`${sbom.format} SBOM: ${sbom.packages.length} packages`, flags.quiet);
    const scanned = imageReport(ref, sbom.packages, { findings: [], notEvaluated: [], suppressed: [], expiredExceptions: [] }, flags, { file: ref, pointers: sbom.pointers });
    const report = { ...scanned.report, images: [{ image: ref, packages: 'sbom' as const }] };
    return { report, ...(store && { recorded: recordScan(store, { as: flags.recordAs! }, { ...scanned, report }, flags) }) };
  }
  const attested = await attestedFor(ref, flags);
  if (attested?.sbom) {
    note(`packages from ${describeSource(attested.source)}: ${attested.sbom.packages.length} (layers not analysed)`, flags.quiet);
    const scanned = imageReport(ref, attested.sbom.packages, { findings: [], notEvaluated: [], suppressed: [], expiredExceptions: [] }, flags);
    const report = { ...scanned.report, images: [attested.source] };
    return { report, ...(store && { recorded: recordScan(store, { as: flags.recordAs ?? ref }, { ...scanned, report }, flags) }) };
  }
  if (attested && flags.sbomSource === 'attestation') {
    // asked for the attested SBOM only: without one, vulnerabilities could not be evaluated (never "none")
    const reason = `--sbom-source attestation: ${attested.source.note ?? 'no verified SBOM attestation'}`;
    const report = { ...reportOf({ findings: [], notEvaluated: [{ ruleId: 'vulnerabilities', resource: imageResource(ref), reason }], suppressed: [], expiredExceptions: [] }), images: [attested.source] };
    return { report };
  }
  if (attested?.source.note) note(`analysing the layers: ${attested.source.note}`, flags.quiet);
  const a = await analyse(ref, flags);
  const scanned = imageReport(ref, a.packages, { findings: a.hygiene.findings, notEvaluated: a.hygiene.notEvaluated, suppressed: [], expiredExceptions: [] }, flags);
  const source: ImageSource = attested?.source ?? { image: ref, packages: 'layers' };
  const report = { ...scanned.report, images: [{ ...source, ...(a.image.manifestDigest !== undefined && source.digest === undefined && { digest: a.image.manifestDigest }) }] };
  if (!store) return { report };
  const digests = { ...(a.image.manifestDigest !== undefined && { manifestDigest: a.image.manifestDigest }), ...(a.image.indexDigest !== undefined && { indexDigest: a.image.indexDigest }) };
  return { report, recorded: recordScan(store, { as: flags.recordAs ?? ref, ...digests }, { ...scanned, report }, flags) };
}

/**
 * The image's verified attestations, when a signer is named (flags, else the config's signature policy) and the
 * input is a registry reference; undefined otherwise (the layers are analysed as before).
 */
async function attestedFor(ref: string, flags: ScanFlags): Promise<AttestedImage | undefined> {
  const from = oneOf(flags.sbomSource, SBOM_SOURCES, '--sbom-source');
  const { config, file } = loadConfig(flags.config);
  const settings = (config.admission as { images?: { signature?: SignatureSettings } } | undefined)?.images?.signature;
  const signer = scanSigner(ref, { keys: flags.key, policy: policyOf(flags), trustedRoot: flags.trustedRoot }, settings, file);
  if (from === 'attestation' && !signer) throw new UsageError('--sbom-source attestation needs a signer: --key or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], or an admission.images.signature policy for the image');
  if (from === 'layers' || !signer || !(await isRegistryInput(ref))) return undefined;
  note(`verifying the attestations of ${ref} (signer from ${signer.from})`, flags.quiet);
  const attested = await attestedImage(ref, signer, { client: client(flags) });
  for (const s of attested.source.scans ?? []) note(`attested vulnerability scan: ${describeScan(s)}`, flags.quiet);
  return attested;
}

function describeSource(s: ImageSource): string {
  if (s.packages !== 'attestation' || !s.attestation) return s.packages;
  return `the verified ${s.attestation.predicateType} attestation by ${signerText(s.attestation.signer)} (${s.attestation.origin})`;
}

/** `--pending`: every queued image scanned and recorded (which takes it off the queue); failures stay queued. */
async function scanPending(store: ScanResultStore, flags: ScanFlags): Promise<void> {
  const queue = store.pending();
  note(`${queue.length} image(s) queued for a scan in ${store.path}`, flags.quiet);
  const lines: string[] = [];
  let failed = 0;
  for (const item of queue) {
    try {
      const { recorded } = await scanOne(item.reference, { ...flags, recordAs: undefined }, store);
      lines.push(`recorded ${item.reference}: ${describeCounts(recorded!)}`);
    } catch (e) {
      failed++;
      lines.push(`failed ${item.reference}: ${errorMessage(e)} (left in the queue)`);
    }
  }
  writeOutput(lines.map((l) => l + '\n').join(''), flags.output);
  // A queued image that could not be scanned is an incomplete run (exit 3), as an unreadable input is for `scan`.
  process.exitCode = exitCode({ incomplete: failed > 0 });
}

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

  identityOptions(exceptionsFromOption(uploadOptions(common(image.command('scan').description('vulnerabilities (local database) and image hygiene findings (root user, build tools, setuid, secrets, ports, age)').argument('[ref]', 'image reference or path, or a CycloneDX/SPDX JSON SBOM'))
    .option('-o, --format <format>', `output format: ${Object.keys(REPORTERS).join('|')}`, 'table')
    .option('--db <path>', 'vulnerability database (default $KUBEGUARD_DB or ~/.cache/kubeguard/vulns.db)')
    .option('--ignore-unfixed', 'leave out vulnerabilities without a fixed version')
    .option('--vex <file>', 'OpenVEX document: not_affected statements suppress findings (repeatable)', collect)
    .option('--no-vulns', 'hygiene only, no vulnerability matching')
    .option('-c, --config <file>', 'config file for exceptions (default: ./kubeguard.yaml when present)')
    .option('--fail-on <severity>', `exit 1 when findings at or above: ${SEVERITIES.join('|')}`, 'high')
    .option('--max-age-days <n>', 'image-age threshold in days (default 180)')
    .option('--allow-tool <name>', 'a build tool the runtime needs (e.g. npm; repeatable)', collect)
    .option('--record [store]', 'store the vulnerability counts for the admission webhook (default $KUBEGUARD_SCAN_RESULTS or scan-results.db next to the vulnerability database)')
    .option('--record-as <image>', 'with --record: the image reference (and @digest) an SBOM, OCI layout or archive is of')
    .option('--pending', 'scan and record every image the webhook queued (admission onMissing allow-and-scan), instead of REF')
    .option('--no-color', 'never colour the output')
    .option('--sbom-source <source>', `package list of a registry image: ${SBOM_SOURCES.join('|')} (auto: a verified CycloneDX/SPDX attestation when a signer is named, else the layers)`, 'auto')
    .option('--key <file>', 'trust attestations signed by this PEM public key (repeatable)', collect),
  ))).action(async (ref: string | undefined, flags: ScanFlags) => {
      const format = oneOf(flags.format, Object.keys(REPORTERS), '--format');
      const failOn = oneOf(flags.failOn, SEVERITIES, '--fail-on');
      if (flags.pending && ref !== undefined) throw new UsageError('give either an image or --pending, not both');
      if (!flags.pending && ref === undefined) throw new UsageError('missing image: give an image reference, path or SBOM (or --pending)');
      if ((flags.record !== undefined || flags.pending) && !flags.vulns) throw new UsageError('--record and --pending store vulnerability counts: they cannot be combined with --no-vulns');
      if (flags.recordAs !== undefined && flags.record === undefined) throw new UsageError('--record-as only applies with --record');
      const upload = uploadTarget(flags);
      if (upload && flags.pending) throw new UsageError('--upload goes with one image, not --pending');
      const scannedAt = new Date();
      const exceptionsFrom = exceptionsSource(flags);
      if (exceptionsFrom) flags.serverExceptions = await serverExceptions(exceptionsFrom, flags.quiet);
      const storePath = flags.record !== undefined || flags.pending ? resolveScanResultsPath({ flag: typeof flags.record === 'string' ? flags.record : undefined }) : undefined;
      const store = storePath !== undefined ? ScanResultStore.open(storePath) : undefined;
      try {
        if (flags.pending) return await scanPending(store!, flags);
        const { report, recorded } = await scanOne(ref!, flags, store);
        const color = format === 'table' && !flags.output && useColor(flags.color);
        writeOutput(REPORTERS[format](report, { color, rules: RULES }), flags.output);
        if (recorded) note(`recorded ${recorded.reference}${recorded.manifestDigest ? `@${recorded.manifestDigest}` : ''} in ${storePath}: ${describeCounts(recorded)}`, flags.quiet);
        process.exitCode = exitCodeFor(report, failOn);
        if (upload) await uploadReport(upload, report, 'resources', [imageResource(ref!), ...report.findings.map((f) => f.resource)], scannedAt, flags.quiet);
      } finally {
        store?.close();
      }
    });

  identityOptions(common(image.command('verify').description('verify the signatures of an image in its registry (cosign .sig/.att and OCI 1.1 Sigstore bundle referrers): with --key, or keyless by identity').argument('<ref>', 'registry reference')))
    .option('--key <file>', 'PEM public key (ECDSA, Ed25519 or RSA; repeatable: any may match)', collect)
    .option('--format <format>', 'text|json', 'text')
    .option('--sbom <file>', 'write the SBOM of a verified CycloneDX/SPDX attestation here (then `image scan FILE` matches it without re-analysing layers)')
    .action(async (ref: string, flags: CommonFlags & IdentityFlags & { key?: string[]; format: string; sbom?: string }) => {
      const format = oneOf(flags.format, ['text', 'json'], '--format');
      const r = await verifyImageRequest({ reference: ref, keys: flags.key ?? [], policy: policyOf(flags), trustedRoot: flags.trustedRoot, client: client(flags) });
      writeOutput(format === 'json' ? JSON.stringify(r, null, 2) + '\n' : imageVerdictText(r), flags.output);
      if (flags.sbom !== undefined) {
        const sbom = r.status === 'verified' ? attestedSbom(r.attestations) : undefined;
        if (sbom) {
          writeOutput(JSON.stringify(sbom.document, null, 2) + '\n', flags.sbom);
          note(`wrote the verified ${sbom.predicateType} attestation's SBOM to ${flags.sbom}`, flags.quiet);
        } else note(`no verified SBOM attestation: ${flags.sbom} not written`, flags.quiet);
      }
      process.exitCode = r.status === 'verified' ? EXIT.clean : r.status === 'not-verified' ? EXIT.failed : EXIT.incomplete;
    });

  identityOptions(image
    .command('verify-blob')
    .description('verify a Sigstore bundle (v0.1–v0.3, message signature or DSSE) for a file: keyless against a trusted root and an identity, or with a key')
    .argument('<file>', 'the signed file; for a DSSE (attestation) bundle, the attestation\'s subject')
    .requiredOption('--bundle <file>', 'the Sigstore bundle (JSON)')
    .option('--key <file>', 'PEM public key: the bundle must be signed by this key'))
    .option('--format <format>', 'text|json', 'text')
    .option('--output <file>', 'write to a file instead of stdout')
    .action((file: string, flags: VerifyBlobFlags) => {
      const format = oneOf(flags.format, ['text', 'json'], '--format');
      const { verdict, trustedRoot } = verifyBlob({
        file,
        bundle: flags.bundle,
        trustedRoot: flags.trustedRoot,
        key: flags.key,
        policy: policyOf(flags),
      });
      writeOutput(format === 'json' ? JSON.stringify(verdictJson(verdict, trustedRoot), null, 2) + '\n' : verdictText(file, verdict), flags.output);
      process.exitCode = verdict.status === 'verified' ? EXIT.clean : verdict.status === 'not-verified' ? EXIT.failed : EXIT.incomplete;
    });
}

interface IdentityFlags {
  trustedRoot?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
}

interface VerifyBlobFlags extends IdentityFlags {
  bundle: string;
  key?: string;
  format: string;
  output?: string;
}

/** The Sigstore trust and identity flags (cosign's names) of `image verify` and `image verify-blob`. */
function identityOptions(c: Command): Command {
  return c
    .option('--trusted-root <file>', 'Sigstore trusted root (default: the one `kubeguard trust update` stored, else the shipped public-good root)')
    .option('--certificate-identity <id>', "keyless: the certificate's subject alternative name, exactly")
    .option('--certificate-identity-regexp <re>', 'keyless: the subject alternative name matches this RE2 expression (unanchored, as cosign)')
    .option('--certificate-oidc-issuer <url>', 'keyless: the OIDC issuer in the certificate, exactly')
    .option('--certificate-oidc-issuer-regexp <re>', 'keyless: the OIDC issuer matches this RE2 expression');
}

const policyOf = (f: IdentityFlags): IdentityPolicy => ({ identity: f.certificateIdentity, identityRegExp: f.certificateIdentityRegexp, issuer: f.certificateOidcIssuer, issuerRegExp: f.certificateOidcIssuerRegexp });

function signerText(s: Pick<SignerInfo, 'identity' | 'issuer' | 'keyId'>): string {
  return s.identity !== undefined ? `${s.identity} (issuer ${s.issuer ?? 'unknown'})` : `key sha256:${s.keyId}`;
}

function imageVerdictText(r: VerifyImageOutcome): string {
  const head = `${r.reference}${r.digest ? ` (${r.digest})` : ''}`;
  if (r.status === 'not-evaluated') return `Could not evaluate: ${head}: ${r.reasons.join('; ')}\n`;
  if (r.status === 'not-verified') return `NOT verified: ${head}: ${r.reasons.join('; ')}\n`;
  const lines = [`Verified: ${head} is signed by ${r.signers.map(signerText).join(', ')}`];
  for (const a of r.attestations) lines.push(`  attestation ${a.predicateType} by ${signerText(a.signer)}`);
  return lines.join('\n') + '\n';
}

function verdictJson(v: BundleVerdict, trustedRoot: string | undefined): Record<string, unknown> {
  if (v.status !== 'verified') return { status: v.status, reason: v.reason, ...(trustedRoot !== undefined && { trustedRoot }) };
  return { status: v.status, mediaType: v.mediaType, content: v.content, signer: v.signer, ...(v.payloadType !== undefined && { payloadType: v.payloadType }), trustedRoot };
}

function verdictText(file: string, v: BundleVerdict): string {
  if (v.status === 'not-verified') return `NOT verified: ${file}: ${v.reason}\n`;
  if (v.status === 'not-evaluated') return `Could not evaluate: ${file}: ${v.reason}\n`;
  return `Verified: ${file} (${v.content === 'dsse' ? `attestation ${v.payloadType}` : 'message signature'}) signed by ${signerText(v.signer)}\n`;
}
