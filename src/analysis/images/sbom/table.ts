import type { SbomInput } from './input.js';

/** A plain-text table: NAME VERSION TYPE SOURCE LOCATION (no colour; the CLI may add it). */
export function toTable(input: SbomInput): string {
  const rows = [['NAME', 'VERSION', 'TYPE', 'SOURCE', 'LOCATION']];
  for (const p of [...input.packages].sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name))) {
    rows.push([p.name, p.version, p.ecosystem, p.sourceName && p.sourceName !== p.name ? p.sourceName : '', p.locations[0]?.path ?? '']);
  }
  const widths = rows[0].map((_, i) => Math.min(60, Math.max(...rows.map((r) => r[i].length))));
  const head = `${input.image.name}${input.image.digest ? ` (${input.image.digest})` : ''}${input.os ? ` — ${input.os.prettyName ?? input.os.id}` : ''}\n`;
  return head + rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
