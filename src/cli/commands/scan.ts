/** `kubeguard scan [PATH|-]...` — the adapter: parse flags, load, scan, render, exit code. No rule logic here. */
import type { Command } from 'commander';
import type { Severity } from '../../core/model.js';
import { SEVERITIES } from '../../core/model.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { PRESETS } from '../../engine/config.js';
import type { PresetName } from '../../engine/config.js';
import { RULES } from '../../engine/catalog.js';
import { resolveRules } from '../../engine/resolve-rules.js';
import { exitCodeFor, scan } from '../../engine/scan.js';
import { REPORTERS } from '../../reporters/index.js';
import { loadInputs } from '../inputs.js';
import { collect, note, oneOf, useColor, writeOutput } from '../io.js';

interface ScanFlags {
  format: string;
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
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan manifests (YAML/JSON, Kustomize, Helm), Dockerfiles and snapshots')
    .argument('[paths...]', 'files, directories, kustomize/helm directories, or - for stdin')
    .option('-f, --file <path>', 'input file or directory (repeatable)', collect)
    .option('--snapshot <file>', 'a snapshot or `kubectl get -o json` dump')
    .option('--cluster', 'scan the live cluster of the current kubeconfig context')
    .option('--context <name>', 'kubeconfig context (with --cluster)')
    .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
    .option('-o, --format <format>', `output format: ${Object.keys(REPORTERS).join('|')}`, 'table')
    .option('--output <file>', 'write the report to a file')
    .option('-c, --config <file>', 'config file (default: ./kubeguard.yaml when present)')
    .option('--preset <name>', `rule preset: ${PRESETS.join('|')} (repeatable)`, collect)
    .option('--fail-on <severity>', `exit 1 when findings at or above: ${SEVERITIES.join('|')} (default high)`)
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (paths: string[], flags: ScanFlags) => {
      const format = oneOf(flags.format, Object.keys(REPORTERS), '--format');
      const { config } = loadConfig(flags.config);
      if (flags.preset) config.preset = flags.preset.map((p) => oneOf(p, PRESETS, '--preset')) as PresetName[];
      const failOn: Severity = flags.failOn ? oneOf(flags.failOn, SEVERITIES, '--fail-on') : (config.failOn ?? 'high');
      const rules = resolveRules(RULES, config);
      const loaded = await loadInputs(paths, flags);
      const enabled = new Set(rules.map((r) => r.rule.id));
      note(`scanning ${loaded.resources.length} objects from ${loaded.files} files with ${rules.length} rules`, flags.quiet);
      const report = scan(loaded.resources, {
        rules,
        exceptions: config.exceptions,
        now: new Date(),
        errors: loaded.errors,
        skipped: loaded.skipped,
        // kinds the source could not read matter only to the rules that run
        notEvaluated: loaded.notEvaluated.filter((n) => n.ruleId === undefined || enabled.has(n.ruleId)),
      });
      const color = format === 'table' && !flags.output && useColor(flags.color);
      writeOutput(REPORTERS[format](report, { color, rules: RULES }), flags.output);
      process.exitCode = exitCodeFor(report, failOn);
    });
}
