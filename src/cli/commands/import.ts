/**
 * `kubeguard import FILE... --upload URL --token T --cluster-name NAME` — other tools' PolicyReports / Reports
 * (Kyverno, Kubewarden, Trivy Operator and kube-bench through their adapters; `kubectl get policyreports -A -o
 * yaml` output works) sent to the server beside ours, one upload per tool. Without --upload, prints what would be
 * sent, as JSON.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SourceError, UsageError, errorMessage } from '../../core/errors.js';
import { TOOL } from '../../engine/scan.js';
import { importResults, reportObjects } from '../../sources/imports/policy-reports.js';
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
    .description("send other tools' results (wgpolicyk8s.io PolicyReports, openreports.io Reports) to the server beside ours, de-duplicated")
    .argument('<files...>', 'YAML or JSON files (or - for stdin): report objects, streams of them, or kubectl lists');
  uploadOptions(cmd).action(async (files: string[], flags: UploadFlags) => {
    const target = uploadTarget(flags);
    const results = importResults(files.flatMap((f) => reportObjects(read(f), f)));
    if (results.length === 0) throw new UsageError('no PolicyReport, ClusterPolicyReport, Report or ClusterReport with results in the input');
    if (!target) return writeOutput(JSON.stringify(results, null, 2) + '\n');
    const scannedAt = new Date().toISOString();
    for (const r of results) {
      const outcome = await sendUpload({
        url: target.url,
        token: target.token,
        userAgent: `${TOOL.name}/${TOOL.version}`,
        lines: () => uploadLines({ cluster: target.cluster, source: r.source, scope: 'cluster', scannedAt }, [], r.findings, r.held, r.suppressed),
        onRetry: (m) => note(m, flags.quiet),
      });
      note(`imported ${r.source} into ${target.cluster}: ${outcome.new} new, ${outcome.fixed} fixed, ${outcome.duplicates} already reported by kubeguard, of ${outcome.received} findings`, flags.quiet);
    }
  });
}
