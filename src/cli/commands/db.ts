/**
 * `kubeguard db import PATH... | update [--url MIRROR] | status` — the local OSV vulnerability database.
 * Every subcommand takes `--db PATH` (else KUBEGUARD_DB, else the user cache directory). Parsing and rendering
 * only; the work is in src/sources/vulndb.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { importOsv } from '../../sources/vulndb/import.js';
import { resolveDbPath } from '../../sources/vulndb/paths.js';
import { VulnDb, type VulnDbStatus } from '../../sources/vulndb/store.js';
import { DEFAULT_ECOSYSTEMS, DEFAULT_MIRROR, updateFromMirror } from '../../sources/vulndb/update.js';
import { collect, note, oneOf, writeOutput } from '../io.js';
import { exitCode } from '../../core/outcome.js';

interface DbFlags {
  db?: string;
  quiet?: boolean;
}

const DAY_MS = 86_400_000;

function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number (got "${value}")`);
  return n;
}

function formatAge(ms: number | undefined): string {
  if (ms === undefined) return 'unknown';
  const h = Math.floor(ms / 3_600_000);
  return h < 48 ? `${h} hour(s)` : `${Math.floor(h / 24)} day(s)`;
}

function renderStatus(s: VulnDbStatus, stale: string | undefined): string {
  const lines = [
    `database:   ${s.path}`,
    `built:      ${s.builtAt} (${formatAge(s.ageMs)} ago)`,
    `advisories: ${s.advisories} (${s.withdrawn} withdrawn, ignored when matching)`,
    `size:       ${(s.sizeBytes / 1024 / 1024).toFixed(1)} MB`,
    `sources:    ${s.sources.join(', ') || '-'}`,
    '',
    'ECOSYSTEM            ADVISORIES   PACKAGES',
    ...s.byEcosystem.map((e) => `${e.ecosystem.padEnd(20)} ${String(e.advisories).padStart(10)} ${String(e.packages).padStart(10)}`),
  ];
  if (stale) lines.push('', `WARNING: ${stale}`);
  return lines.join('\n') + '\n';
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('manage the local OSV vulnerability database (air-gapped first: import exports you copied in)');

  db.command('import')
    .description('import OSV JSON files, per-ecosystem zips (osv.dev <Ecosystem>/all.zip) or directories of them; atomic')
    .argument('<paths...>', 'files, zips or directories')
    .option('--db <path>', 'database file (default: $KUBEGUARD_DB or ~/.cache/kubeguard/vulns.db)')
    .option('--replace', 'build a new database from these sources only (default: merge into the current one)')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (paths: string[], flags: DbFlags & { replace?: boolean }) => {
      const dbPath = resolveDbPath({ flag: flags.db });
      const res = await importOsv(dbPath, paths, {
        mode: flags.replace ? 'replace' : 'merge',
        now: new Date(),
        onProgress: (n) => note(`imported ${n} records...`, flags.quiet),
      });
      for (const i of res.invalid.slice(0, 20)) note(`skipped ${i.origin}: ${i.reason}`, flags.quiet);
      if (res.invalid.length > 20) note(`... and ${res.invalid.length - 20} more invalid entries`, flags.quiet);
      writeOutput(`imported ${res.imported} records into ${dbPath} (${res.advisories} advisories stored${res.skippedOlder ? `, ${res.skippedOlder} older copies skipped` : ''}${res.invalid.length ? `, ${res.invalid.length} invalid entries skipped` : ''})\n`);
      process.exitCode = exitCode({ errors: res.invalid });
    });

  db.command('update')
    .description('download per-ecosystem OSV archives from a mirror and rebuild the database atomically')
    .option('--db <path>', 'database file (default: $KUBEGUARD_DB or ~/.cache/kubeguard/vulns.db)')
    .option('--url <mirror>', 'mirror base URL serving <Ecosystem>/all.zip', DEFAULT_MIRROR)
    .option('--ecosystem <name>', `ecosystem to download (repeatable; default: ${DEFAULT_ECOSYSTEMS.join(', ')})`, collect)
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (flags: DbFlags & { url: string; ecosystem?: string[] }) => {
      const dbPath = resolveDbPath({ flag: flags.db });
      if (!/^https?:\/\//.test(flags.url)) throw new UsageError(`--url must be an http(s) URL (got "${flags.url}"); for files use \`kubeguard db import\``);
      const res = await updateFromMirror({
        dbPath,
        baseUrl: flags.url,
        ecosystems: flags.ecosystem,
        now: new Date(),
        onProgress: (m) => note(m, flags.quiet),
      });
      const bytes = res.downloaded.reduce((s, d) => s + d.bytes, 0);
      writeOutput(`updated ${dbPath}: ${res.imported} records from ${res.downloaded.length} archive(s), ${(bytes / 1024 / 1024).toFixed(1)} MB downloaded\n`);
    });

  db.command('status')
    .description('age, advisories per ecosystem, size; warns when stale')
    .option('--db <path>', 'database file (default: $KUBEGUARD_DB or ~/.cache/kubeguard/vulns.db)')
    .option('--max-age <days>', 'warn when older than this many days', '7')
    .option('--check', 'also run SQLite integrity checks (reads the whole file)')
    .option('-o, --format <format>', 'table|json', 'table')
    .action((flags: DbFlags & { maxAge: string; check?: boolean; format: string }) => {
      const format = oneOf(flags.format, ['table', 'json'] as const, '--format');
      const maxAgeMs = positiveNumber(flags.maxAge, '--max-age') * DAY_MS;
      const vdb = VulnDb.open(resolveDbPath({ flag: flags.db }));
      try {
        const now = new Date();
        const status = vdb.status(now);
        const stale = vdb.staleWarning(now, maxAgeMs);
        const problems = flags.check ? vdb.integrityCheck() : [];
        if (format === 'json') writeOutput(JSON.stringify({ ...status, stale: stale !== undefined, warning: stale, integrity: flags.check ? (problems.length ? problems : 'ok') : undefined }, null, 2) + '\n');
        else writeOutput(renderStatus(status, stale) + (problems.length ? `INTEGRITY: ${problems.join('; ')}\n` : ''));
        if (stale && format === 'json') note(`warning: ${stale}`, flags.quiet);
        process.exitCode = exitCode({ errors: problems });
      } finally {
        vdb.close();
      }
    });
}
