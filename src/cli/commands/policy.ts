/** `kubeguard policy test DIR` and `kubeguard policy export-vap` — adapters over engine/policy-test and engine/export-vap. */
import type { Command } from 'commander';
import { loadPolicyTests } from '../../sources/policy/tests.js';
import { runPolicyTest, type PolicyTestCase } from '../../engine/policy-test.js';
import yaml from 'js-yaml';
import { exportVaps, EXPORTABLE } from '../../engine/export-vap.js';
import { RULES } from '../../engine/catalog.js';
import { findRule } from '../../engine/resolve-rules.js';
import { UsageError } from '../../core/errors.js';
import type { ValidationAction } from '../../analysis/cel/vap/types.js';
import { collect, oneOf, writeOutput } from '../io.js';
import { exitCode } from '../../core/outcome.js';

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('custom policies: ValidatingAdmissionPolicies and CEL rules');
  policy
    .command('test')
    .description('run policy tests (kubeguard-test.yaml or kyverno-test.yaml files) under DIR: expected pass/fail/warn/skip per resource')
    .argument('<dir>', 'directory (searched recursively) or one test file')
    .option('-o, --format <format>', 'table|json', 'table')
    .option('--detailed-results', 'print every case, not only the failing ones')
    .action((dir: string, flags: { format: string; detailedResults?: boolean }) => {
      const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
      const loaded = loadPolicyTests(dir);
      const cases: PolicyTestCase[] = loaded.tests.flatMap((t) => runPolicyTest(t));
      const failed = cases.filter((c) => !c.ok);
      const undecided = failed.filter((c) => c.got === undefined);
      if (format === 'json') {
        writeOutput(JSON.stringify({ tests: loaded.tests.length, cases, errors: loaded.errors }, null, 2) + '\n');
      } else {
        const lines: string[] = [];
        for (const e of loaded.errors) lines.push(`error  ${e.file ?? ''}${e.line ? `:${e.line}` : ''}: ${e.message}`);
        for (const c of flags.detailedResults ? cases : failed) {
          const verdict = c.ok ? 'ok  ' : c.got === undefined ? 'n/a ' : 'FAIL';
          const got = c.got === undefined ? c.reason : `got ${c.got}${c.messages.length ? ` (${c.messages.join('; ')})` : ''}`;
          lines.push(`${verdict}  ${c.test}: ${c.policy} on ${c.resource}: expected ${c.expected}, ${got}`);
        }
        lines.push(`${loaded.tests.length} tests, ${cases.length} cases: ${cases.length - failed.length} as expected, ${failed.length - undecided.length} not as expected, ${undecided.length} could not be evaluated`);
        writeOutput(lines.join('\n') + '\n');
      }
      // 3: incomplete (unreadable tests or undecidable cases) wins over 1 (cases not as expected)
      process.exitCode = exitCode({ errors: loaded.errors, incomplete: undecided.length > 0 || loaded.tests.length === 0, failed: failed.length > 0 });
    });

  policy
    .command('export-vap')
    .description(`write built-in rules that CEL can express as ValidatingAdmissionPolicies with bindings (${Object.keys(EXPORTABLE).join(', ')})`)
    .option('--rule <id>', 'export only this rule (id or alias; repeatable)', collect)
    .option('--action <action>', 'validationActions of the bindings: Deny|Warn|Audit (repeatable)', collect)
    .option('--prefix <prefix>', 'prefix of the policy names', 'kubeguard-')
    .option('--output <file>', 'write to a file instead of stdout')
    .action((flags: { rule?: string[]; action?: string[]; prefix: string; output?: string }) => {
      const rules = flags.rule?.length
        ? flags.rule.map((id) => {
            const r = findRule(RULES, id);
            if (!r) throw new UsageError(`unknown rule "${id}" (see \`kubeguard rules list\`)`);
            if (!EXPORTABLE[r.id]) throw new UsageError(`rule ${r.id} has no CEL form; exportable: ${Object.keys(EXPORTABLE).join(', ')}`);
            return r;
          })
        : RULES.filter((r) => EXPORTABLE[r.id]);
      const actions = (flags.action ?? ['Deny']).map((a) => oneOf(a, ['Deny', 'Warn', 'Audit'] as const, '--action')) as ValidationAction[];
      const docs = exportVaps(rules, { actions, prefix: flags.prefix });
      writeOutput(docs.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n'), flags.output);
    });
}
