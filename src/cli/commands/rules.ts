/** `kubeguard rules list|explain` — the catalogue, from rule metadata. */
import type { Command } from 'commander';
import { RULES, ruleById } from '../../engine/catalog.js';
import { inPreset } from '../../engine/presets.js';
import { PRESETS } from '../../engine/config.js';
import { UsageError } from '../../core/errors.js';
import { renderRuleDoc } from '../../engine/rule-docs.js';
import { DETECTORS, detectorById } from '../../engine/detectors.js';
import { renderDetectorDoc } from '../../engine/detector-docs.js';
import { oneOf, writeOutput } from '../io.js';
import { escapeMarkdownCell } from '../../reporters/escape.js';

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('the rule catalogue');
  rules
    .command('list')
    .description('list every rule and runtime detector')
    .option('-o, --format <format>', 'table|json|markdown', 'table')
    .action((flags: { format: string }) => {
      const format = oneOf(flags.format, ['table', 'json', 'markdown'] as const, '--format');
      const sorted = [...RULES].sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
      const detectors = [...DETECTORS].sort((a, b) => a.id.localeCompare(b.id));
      if (format === 'json') {
        const out = [
          ...sorted.map((r) => ({
            id: r.id,
            aliases: r.aliases ?? [],
            title: r.title,
            category: r.category,
            severity: r.severity,
            kinds: r.kinds,
            presets: PRESETS.filter((p) => inPreset(r, p)),
            compliance: r.compliance ?? {},
          })),
          ...detectors.map((d) => ({ id: d.id, aliases: [], title: d.title, category: d.category, severity: d.severity, events: d.events, presets: [], compliance: d.compliance ?? {} })),
        ];
        writeOutput(JSON.stringify(out, null, 2) + '\n');
      } else if (format === 'markdown') {
        const lines = ['| Rule | Category | Severity | Title |', '|---|---|---|---|'];
        for (const r of [...sorted, ...detectors]) lines.push(`| [\`${r.id}\`](rules/${r.id}.md) | ${r.category} | ${r.severity} | ${escapeMarkdownCell(r.title)} |`);
        writeOutput(lines.join('\n') + '\n');
      } else {
        const lines = [...sorted, ...detectors].map((r) => `${r.id.padEnd(40)} ${r.category.padEnd(13)} ${r.severity.padEnd(9)} ${r.title}`);
        writeOutput(lines.join('\n') + `\n${sorted.length} rules, ${detectors.length} runtime detectors\n`);
      }
    });
  rules
    .command('explain')
    .description('explain one rule')
    .argument('<id>', 'rule id or alias')
    .action((id: string) => {
      const rule = ruleById(id);
      const detector = rule ? undefined : detectorById(id);
      if (!rule && !detector) throw new UsageError(`no rule "${id}" (see \`kubeguard rules list\`)`);
      writeOutput(rule ? renderRuleDoc(rule) : renderDetectorDoc(detector!));
    });
}
