/** `kubeguard pss PATH... --level baseline|restricted [--version v1.N]`: Pod Security admission verdicts per object. */
import type { Command } from 'commander';
import { pssReport, pssSummary, PSS_LEVELS } from '../../analysis/pss/index.js';
import type { PssLevel } from '../../analysis/pss/index.js';
import { POD_BEARING_KINDS } from '../../core/podspec.js';
import { exitCode } from '../../core/outcome.js';
import { emptyInputError, inputOptions, loadInputs, noteNotEvaluated } from '../inputs.js';
import type { InputFlags } from '../inputs.js';
import { oneOf, writeOutput } from '../io.js';

/** Pod Security judges the pod templates: a pod-bearing kind that could not be read leaves the answer incomplete. */
const NEEDS = [{ id: 'pss', kinds: POD_BEARING_KINDS }];

interface PssFlags extends InputFlags {
  level: string;
  version: string;
  format: string;
  allowEmpty?: boolean;
}

export function registerPss(program: Command): void {
  inputOptions(
    program
      .command('pss')
      .description('evaluate Pod Security Standards (baseline/restricted) exactly as Pod Security admission does')
      .argument('[paths...]', 'files, directories, or - for stdin'),
  )
    .option('--level <level>', 'baseline|restricted', 'restricted')
    .option('--version <version>', 'policy version v1.N or latest', 'latest')
    .option('-o, --format <format>', 'table|json', 'table')
    .option('--allow-empty', 'an input without any Kubernetes object is not an error (default: exit 3)')
    .action(async (paths: string[], flags: PssFlags) => {
      const level = oneOf(flags.level, PSS_LEVELS, '--level') as PssLevel;
      const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
      const loaded = await loadInputs(paths, flags, NEEDS);
      noteNotEvaluated(loaded, flags.quiet);
      const empty = flags.allowEmpty ? undefined : emptyInputError(paths, flags, loaded);
      if (empty) loaded.errors.push(empty);
      const rows = pssReport(loaded.resources, level, flags.version);
      if (format === 'json') {
        const out = rows.map((r) => ({ file: r.file, line: r.line, kind: r.kind, namespace: r.namespace, name: r.name, allowed: r.allowed, violations: r.violations.map(({ check, message }) => ({ check, message })) }));
        writeOutput(JSON.stringify(out, null, 2) + '\n');
      } else {
        const lines: string[] = [];
        for (const r of rows) {
          const where = r.file ? `  ${r.file}${r.line ? ':' + r.line : ''}` : '';
          lines.push(`${r.allowed ? 'ALLOWED' : 'DENIED '} ${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}${where}`);
          for (const v of r.violations) lines.push(`    ${v.check}: ${v.message}`);
        }
        const s = pssSummary(rows);
        lines.push(`${s.objects} pod-bearing objects at ${level} (${flags.version}): ${s.allowed} allowed, ${s.denied} denied`);
        for (const e of loaded.errors) lines.push(`ERROR ${e.file ?? ''}${e.line ? ':' + e.line : ''}: ${e.message}`);
        writeOutput(lines.join('\n') + '\n');
      }
      process.exitCode = exitCode({ ...loaded, failed: rows.some((r) => !r.allowed) });
    });
}
