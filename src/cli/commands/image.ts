/**
 * `kubeguard image sbom|scan|verify|verify-blob REF` — the adapter: parse flags, call the image use cases
 * (src/usecases/images, src/usecases/provenance), render. REF is a registry reference, an OCI layout dir, a
 * docker-save tar or a rootfs dir.
 */
import type { Command } from 'commander';
import { SEVERITIES } from '../../core/model.js';
import { UsageError } from '../../core/errors.js';
import { TOOL, exitCodeFor } from '../../engine/report.js';
import { RULES } from '../../engine/catalog.js';
import { REPORTERS } from '../../reporters/index.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { parsePlatform } from '../../sources/images/oci-types.js';
import { looksLikeJson, readSbomFile } from '../../sources/images/sbom-file.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { dockerConfigProvider } from '../../sources/images/registry/credentials.js';
import { resolveScanResultsPath } from '../../sources/scan-results/paths.js';
import type { ScanRecord } from '../../sources/scan-results/store.js';
import { ScanResultStore } from '../../sources/scan-results/store.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';
import { analyzeImage, imageSbom, SBOM_FORMATS } from '../../usecases/images/analyze.js';
import type { ImageScanOptions } from '../../usecases/images/scan-image.js';
import { imageResource, scanAndRecord, scanImage, scanPending } from '../../usecases/images/scan-image.js';
import { collect, note, oneOf, useColor, writeOutput } from '../io.js';
import type { UploadFlags } from '../upload.js';
import { exceptionsFromOption, exceptionsSource, serverExceptions, uploadOptions, uploadReport, uploadTarget } from '../upload.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { EXIT, exitCode } from '../../core/outcome.js';
import { verifyBlob } from '../../usecases/provenance/verify-blob.js';
import type { BundleVerdict, IdentityPolicy } from '../../analysis/images/sigstore/verify-bundle.js';
import { verifyImageRequest } from '../../usecases/provenance/verify-image.js';
import { attestedSbom } from '../../analysis/images/sigstore/provenance.js';
import { describeScan, describeSigner as signerText, isVulnPredicate, scanSummary } from '../../analysis/images/sigstore/attested-content.js';
import type { VerifyImageOutcome } from '../../usecases/provenance/verify-image.js';
import { SBOM_SOURCES } from '../../usecases/provenance/attested-image.js';

interface CommonFlags {
  platform?: string;
  insecureRegistry?: string[];
  output?: string;
  quiet?: boolean;
}

function client(flags: CommonFlags): RegistryClient {
  return new RegistryClient({ credentials: dockerConfigProvider(), insecureRegistries: flags.insecureRegistry, userAgent: `${TOOL.name}/${TOOL.version}` });
}

const describeCounts = (r: ScanRecord) => [...SEVERITIES].reverse().map((s) => `${r.counts[s]} ${s}`).join(', ');

const common = (c: Command): Command =>
  c
    .option('--platform <os/arch[/variant]>', 'platform to select from a multi-platform image (default linux/amd64)')
    .option('--insecure-registry <host[:port]>', 'allow plain HTTP to this registry (loopback always allowed; repeatable)', collect)
    .option('--output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr');

interface ScanFlags extends CommonFlags, UploadFlags, IdentityFlags {
  key?: string[];
  sbomSource: string;
  format: string;
  failOn: string;
  maxAgeDays?: string;
  allowTool?: string[];
  color: boolean;
  config?: string;
  db?: string;
  ignoreUnfixed?: boolean;
  vex?: string[];
  vulns: boolean;
  /** `--record [FILE]`: true for the default store. */
  record?: string | boolean;
  recordAs?: string;
  pending?: boolean;
}

/** The use case's options from the flags: exceptions from the config file plus the server's approved ones. */
async function scanOptions(flags: ScanFlags, server: readonly ExceptionSpec[]): Promise<ImageScanOptions> {
  const maxAgeDays = flags.maxAgeDays !== undefined ? Number(flags.maxAgeDays) : undefined;
  if (maxAgeDays !== undefined && !(maxAgeDays > 0)) throw new UsageError('--max-age-days must be a positive number');
  const { config, file } = await loadConfig(flags.config);
  return {
    now: new Date(),
    platform: flags.platform ? parsePlatform(flags.platform) : undefined,
    client: client(flags),
    hygiene: { maxAgeDays, allowTools: flags.allowTool },
    vulns: flags.vulns,
    db: flags.db,
    ignoreUnfixed: flags.ignoreUnfixed,
    vex: flags.vex,
    exceptions: [...(config.exceptions ?? []), ...server],
    sbomSource: oneOf(flags.sbomSource, SBOM_SOURCES, '--sbom-source'),
    signer: {
      flags: { keys: flags.key, policy: policyOf(flags), trustedRoot: flags.trustedRoot },
      settings: (config.admission as { images?: { signature?: SignatureSettings } } | undefined)?.images?.signature,
      configFile: file,
    },
    onNote: (m) => note(m, flags.quiet),
  };
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
        writeOutput(imageSbom({ image: { kind: 'rootfs', reference: doc.subject ?? ref, layerDigests: [] }, packages: doc.packages }, format, new Date()), flags.output);
        return;
      }
      const a = await analyzeImage(ref, { now: new Date(), platform: flags.platform ? parsePlatform(flags.platform) : undefined, client: client(flags), onNote: (m) => note(m, flags.quiet) });
      writeOutput(imageSbom(a, format, new Date()), flags.output);
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
      const opts = await scanOptions(flags, exceptionsFrom ? await serverExceptions(exceptionsFrom, flags.quiet) : []);
      const storePath = flags.record !== undefined || flags.pending ? resolveScanResultsPath({ flag: typeof flags.record === 'string' ? flags.record : undefined }) : undefined;
      const store = storePath !== undefined ? ScanResultStore.open(storePath) : undefined;
      try {
        if (flags.pending) {
          const results = await scanPending(store!, opts);
          writeOutput(results.map((r) => ('record' in r ? `recorded ${r.reference}: ${describeCounts(r.record)}\n` : `failed ${r.reference}: ${r.failed} (left in the queue)\n`)).join(''), flags.output);
          // a queued image that could not be scanned is an incomplete run (exit 3), as an unreadable input is for `scan`
          process.exitCode = exitCode({ incomplete: results.some((r) => 'failed' in r) });
          return;
        }
        const { scanned, record: recorded } = store ? await scanAndRecord(ref!, store, { ...opts, as: flags.recordAs }) : { scanned: await scanImage(ref!, opts), record: undefined };
        const { report } = scanned;
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

function imageVerdictText(r: VerifyImageOutcome): string {
  const head = `${r.reference}${r.digest ? ` (${r.digest})` : ''}`;
  if (r.status === 'not-evaluated') return `Could not evaluate: ${head}: ${r.reasons.join('; ')}\n`;
  if (r.status === 'not-verified') return `NOT verified: ${head}: ${r.reasons.join('; ')}\n`;
  const lines = [`Verified: ${head} is signed by ${r.signers.map(signerText).join(', ')}`];
  for (const a of r.attestations) {
    const scan = isVulnPredicate(a.predicateType) ? `: ${describeScan(scanSummary(a, new Date()))}` : '';
    lines.push(`  attestation ${a.predicateType} by ${signerText(a.signer)}${scan}`);
  }
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
