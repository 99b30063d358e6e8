/**
 * `kubeguard import FILE... [--node NAME] --upload URL --token T --cluster-name NAME` — other tools' results sent to
 * the server beside ours, one upload per tool (and per Trivy Operator report kind): PolicyReports / Reports
 * (Kyverno, Kubewarden, adapters), Trivy Operator's own reports, kube-bench --json (of the node --node names).
 * `kubectl get … -A -o yaml` output works. Without --upload, prints what would be sent, as JSON.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SourceError, UsageError, errorMessage } from '../../core/errors.js';
import { TOOL } from '../../engine/report.js';
import { importDocuments, importResults } from '../../sources/imports/read.js';
import { sendUpload } from '../../sources/upload/client.js';
import { uploadLines } from '../../sources/upload/format.js';
import { note, writeOutput } from '../io.js';
import type { UploadFlags } from '../upload.js';
import { uploadOptions, uploadTarget } from '../upload.js';

const MAX_BYTES = 256 * 1024 * 1024;

function read(file: string): string {
  try {
    const text = readFileSync(file === '-' ? 0 : file, 'utf8');
    if (text.length > MAX_BYTES) throw new SourceError(`${file} is larger than ${MAX_BYTES} bytes`, file);
    return text;
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(`cannot read ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
}

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description("send other tools' results (PolicyReports, openreports.io Reports, Trivy Operator reports, kube-bench --json) to the server beside ours, de-duplicated")
    .argument('<files...>', 'YAML or JSON files (or - for stdin): report objects, streams of them, kubectl lists, kube-bench --json output')
    .option('--node <name>', 'the node kube-bench ran on (its JSON does not say)');
  uploadOptions(cmd).action(async (files: string[], flags: UploadFlags & { node?: string }) => {
    const target = uploadTarget(flags);
    const { results, skipped } = importResults(
      files.flatMap((f) => importDocuments(read(f), f)),
      { ...(flags.node !== undefined && { node: flags.node }) },
    );
    for (const [what, n] of skipped) note(`skipped ${n} × ${what}`, flags.quiet);
    if (results.length === 0) throw new UsageError('nothing to import: no PolicyReport, Report, Trivy Operator report or kube-bench result in the input');
    if (!target) return writeOutput(JSON.stringify(results, null, 2) + '\n');
    const scannedAt = new Date().toISOString();
    for (const r of results) {
      const outcome = await sendUpload({
        url: target.url,
        token: target.token,
        userAgent: `${TOOL.name}/${TOOL.version}`,
        lines: () => uploadLines({ cluster: target.cluster, source: r.source, scope: r.scope, scannedAt }, r.resources, r.findings, r.held, r.suppressed),
        onRetry: (m) => note(m, flags.quiet),
      });
      note(`imported ${r.source} into ${target.cluster}: ${outcome.new} new, ${outcome.fixed} fixed, ${outcome.duplicates} already reported by kubeguard, of ${outcome.received} findings`, flags.quiet);
    }
  });
}
