/** `kubeguard scan [PATH|-]...` — the adapter: parse flags, load, call the scan use case, render, exit code. */
import type { Command } from 'commander';
import type { Severity } from '../../core/model.js';
import { SEVERITIES } from '../../core/model.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { PRESETS } from '../../engine/config.js';
import type { PresetName } from '../../engine/config.js';
import { RULES, ruleById } from '../../engine/catalog.js';
import { forDisplay, type DisplayFilter } from '../../engine/display.js';
import { unknownRuleText } from '../../engine/rule-names.js';
import { isVulnerabilityRuleId } from '../../analysis/vulns/findings.js';
import { findRule } from '../../engine/resolve-rules.js';
import { exitCodeFor, failsRun } from '../../engine/report.js';
import type { Finding } from '../../core/model.js';
import { UsageError } from '../../core/errors.js';
import { REPORTERS } from '../../reporters/index.js';
import { COMPLIANCE_FORMATS, renderCompliance, type ComplianceFormat } from '../../reporters/compliance.js';
import { DEFAULT_CIS_BENCHMARK, FRAMEWORKS } from '../../analysis/compliance/frameworks/names.js';
import { SHIPPED_BENCHMARKS } from '../../analysis/compliance/kube-bench/shipped.js';
import { complianceExitCode } from '../../analysis/compliance/report.js';
import { emptyInputError, inputOptions, loadInputs } from '../inputs.js';
import { scanManifests } from '../../usecases/scan-manifests.js';
import { collect, note, oneOf, useColor, writeOutput } from '../io.js';
import type { UploadFlags } from '../upload.js';
import type { InventoryRecord } from '../../sources/upload/format.js';
import { exceptionsFromOption, exceptionsSource, serverExceptions, uploadOptions, uploadReport, uploadTarget } from '../upload.js';

interface ScanFlags extends UploadFlags {
  format: string;
  framework?: string;
  benchmark?: string;
  output?: string;
  config?: string;
  preset?: string[];
  failOn?: string;
  file?: string[];
  snapshot?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  color: boolean;
  quiet?: boolean;
  images?: boolean;
  db?: string;
  ignoreUnfixed?: boolean;
  insecureRegistry?: string[];
  severity?: string;
  rule?: string[];
  skipRule?: string[];
  verbose?: boolean;
  allowEmpty?: boolean;
  policy?: string[];
}

export function registerScan(program: Command): void {
  const command = inputOptions(
    program
      .command('scan')
      .description('scan manifests (YAML/JSON, Kustomize, Helm), Dockerfiles and snapshots')
      .argument('[paths...]', 'files, directories, kustomize/helm directories, or - for stdin'),
    'scan the live cluster of the current kubeconfig context',
  )
    .option('-o, --format <format>', `output format: ${Object.keys(REPORTERS).join('|')}`, 'table')
    .option('--output <file>', 'write the report to a file')
    .option('-c, --config <file>', 'config file (default: ./kubeguard.yaml when present)')
    .option('--preset <name>', `rule preset: ${PRESETS.join('|')} (repeatable)`, collect)
    .option('--policy <path>', 'ValidatingAdmissionPolicy files or directories (with their bindings and params) to evaluate (repeatable)', collect)
    .option('--fail-on <severity>', `exit 1 when findings at or above: ${SEVERITIES.join('|')} (default high)`)
    .option('--severity <level>', `show findings at or above this severity (${SEVERITIES.join('|')}); the exit code still counts all`)
    .option('--rule <ids>', 'show only findings of these rules (comma-separated, repeatable); the exit code still counts all', collect)
    .option('--skip-rule <ids>', 'do not show findings of these rules (comma-separated, repeatable); the exit code still counts them', collect)
    .option('-v, --verbose', 'under each finding: the whole remediation, every related finding, the standards and the evidence')
    .option('--allow-empty', 'an input without any Kubernetes object or Dockerfile is not an error (default: exit 3)')
    .option('--no-color', 'never colour the output')
    .option('--images', 'also scan the images the workloads run for vulnerabilities, ranked by exposure and privileges, and their signatures when admission.images.signature is configured')
    .option('--db <path>', 'vulnerability database for --images (default $KUBEGUARD_DB or ~/.cache/kubeguard/vulns.db)')
    .option('--ignore-unfixed', 'with --images: leave out vulnerabilities without a fixed version')
    .option('--insecure-registry <host[:port]>', 'with --images: allow plain HTTP to this registry (repeatable)', collect)
    .option('--framework <name>', `report as a compliance view: ${FRAMEWORKS.join('|')} (formats ${COMPLIANCE_FORMATS.join('|')})`)
    .option('--benchmark <name>', `with --framework cis: the CIS benchmark (${SHIPPED_BENCHMARKS.filter((b) => b.startsWith('cis-')).join(', ')}; default ${DEFAULT_CIS_BENCHMARK})`);
  exceptionsFromOption(uploadOptions(command)).action(async (paths: string[], flags: ScanFlags) => {
      const framework = flags.framework === undefined ? undefined : oneOf(flags.framework, FRAMEWORKS, '--framework');
      const format = oneOf(flags.format, framework ? COMPLIANCE_FORMATS : Object.keys(REPORTERS), '--format');
      if (flags.benchmark && (framework !== 'cis' || !SHIPPED_BENCHMARKS.includes(flags.benchmark) || !flags.benchmark.startsWith('cis-'))) throw new UsageError(`--benchmark ${flags.benchmark}: give a CIS benchmark (${SHIPPED_BENCHMARKS.filter((b) => b.startsWith('cis-')).join(', ')}) with --framework cis`);
      const upload = uploadTarget(flags, Boolean(flags.cluster || flags.snapshot));
      const exceptionsFrom = exceptionsSource(flags, Boolean(flags.cluster || flags.snapshot));
      const scannedAt = new Date();
      const { config, file } = await loadConfig(flags.config);
      if (flags.preset) config.preset = flags.preset.map((p) => oneOf(p, PRESETS, '--preset')) as PresetName[];
      const failOn: Severity = flags.failOn ? oneOf(flags.failOn, SEVERITIES, '--fail-on') : (config.failOn ?? 'high');
      const display: DisplayFilter = {
        ...(flags.severity ? { severity: oneOf(flags.severity, SEVERITIES, '--severity') } : {}),
        ...(flags.rule ? { rules: ruleIdsArg(flags.rule, '--rule') } : {}),
        ...(flags.skipRule ? { skipRules: ruleIdsArg(flags.skipRule, '--skip-rule') } : {}),
      };
      const loaded = await loadInputs(paths, flags, RULES);
      const empty = flags.allowEmpty ? undefined : emptyInputError(paths, flags, loaded);
      if (empty) loaded.errors.push(empty);
      if (upload) upload.cluster ||= loaded.cluster?.context ?? '';
      if (exceptionsFrom) {
        exceptionsFrom.cluster ||= loaded.cluster?.context ?? '';
        config.exceptions = [...(config.exceptions ?? []), ...(await serverExceptions(exceptionsFrom, flags.quiet))];
      }
      const { report, rules, catalog, vulnerabilities } = await scanManifests(loaded, {
        config,
        configFile: file,
        policyPaths: flags.policy,
        now: scannedAt,
        ...(flags.images && { images: { db: flags.db, insecureRegistries: flags.insecureRegistry, ignoreUnfixed: flags.ignoreUnfixed } }),
        onNote: (m) => note(m, flags.quiet),
      });
      if (framework) {
        const { frameworkView } = await import('../../analysis/compliance/frameworks/view.js');
        const view = frameworkView(framework, { report, rules: rules.map((r) => r.rule), catalog, objects: loaded.resources.map((r) => r.object), benchmark: flags.benchmark });
        writeOutput(renderCompliance(format as ComplianceFormat, view, { header: [`${view.framework} ${view.version} — ${loaded.resources.length} objects`], name: `kubeguard-${view.framework}-${view.version}` }), flags.output);
        process.exitCode = complianceExitCode(view);
        return;
      }
      // a whole cluster also sends its network and attack paths (the dashboard's graphs); loaded only then
      const whole = Boolean(flags.cluster || flags.snapshot);
      let inventory: InventoryRecord[] = [];
      if (upload && whole) {
        const objects = loaded.resources.map((r) => r.object);
        const [{ inventoryRecords }, { complianceScoreRecords }] = await Promise.all([import('../../usecases/history/inventory.js'), import('../../usecases/compliance/scores.js')]);
        // each framework's score as --framework computes it: the overview's compliance percentages
        inventory = [...inventoryRecords(objects, vulnerabilities), ...complianceScoreRecords({ report, rules: rules.map((r) => r.rule), catalog, objects })];
      }
      const refs = upload ? loaded.resources.map((r) => r.ref) : [];
      // the objects (and their line index) are judged: let them go before the report is rendered, which then
      // has the memory they held (a 30 MB file's objects are several times its size; #14 case 18)
      loaded.resources.length = 0;
      const color = format === 'table' && !flags.output && useColor(flags.color);
      const category = (id: string) => catalog.find((r) => r.id === id)?.category ?? ruleById(id)?.category;
      const shown = forDisplay(report, display, category);
      const gated = rules.some((r) => r.fails) ? { fails: (f: Finding) => failsRun(f, failOn, rules) } : {};
      writeOutput(REPORTERS[format](shown, { color, rules: catalog, verbose: flags.verbose, failOn, now: scannedAt, ...gated }), flags.output);
      process.exitCode = exitCodeFor(report, failOn, rules);
      // one record per problem, as every report shows it; a whole cluster (live or snapshot) fixes what it no
      // longer shows, files fix only what they hold
      if (upload) await uploadReport(upload, forDisplay(report, {}, category), whole ? 'cluster' : 'resources', refs, scannedAt, flags.quiet, inventory);
    });
}

/** Rule ids of --rule/--skip-rule (comma-separated, repeatable; aliases and vulnerability ids accepted). */
function ruleIdsArg(values: string[], flag: string): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean).map((text) => {
    if (text === 'vulnerabilities' || isVulnerabilityRuleId(text)) return text;
    const rule = findRule(RULES, text);
    if (!rule) throw new UsageError(`${flag}: ${unknownRuleText(RULES, text)}`);
    return rule.id;
  });
}
