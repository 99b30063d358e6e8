/** `--upload URL --token T --cluster-name NAME` shared by `scan` and `image scan`. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError, errorMessage } from '../core/errors.js';
import type { ResourceRef, ScanReport } from '../core/model.js';
import { TOOL } from '../engine/report.js';
import type { InventoryRecord, UploadScope } from '../sources/upload/format.js';
import type { ExceptionSpec } from '../engine/config.js';
import { holdsOf, suppressedOf, uploadLines } from '../sources/upload/format.js';
import { note } from './io.js';

// the HTTP client (compression, TLS) loads only when a command talks to a server: start-up of a file scan (#25)
const uploadClient = () => import('../sources/upload/client.js');
const exceptionsClient = () => import('../sources/upload/server-exceptions.js');

export interface UploadFlags {
  upload?: string;
  /** `--exceptions-from URL`: apply the server's approved exceptions without uploading. */
  exceptionsFrom?: string;
  token?: string;
  clusterName?: string;
  quiet?: boolean;
}

export function uploadOptions(cmd: Command): Command {
  return cmd
    .option('--upload <url>', 'send the results to a kubeguard server (kubeguard serve)')
    .option('--token <token>', 'API token for --upload (default $KUBEGUARD_TOKEN)')
    .option('--cluster-name <name>', 'the cluster the results belong to, for --upload');
}

/** `--exceptions-from URL` for the scanners (with --upload the upload server's exceptions apply anyway). */
export function exceptionsFromOption(cmd: Command): Command {
  return cmd.option('--exceptions-from <url>', "apply the kubeguard server's approved exceptions for --cluster-name (token: --token or $KUBEGUARD_TOKEN) without uploading");
}

export interface UploadTarget {
  url: string;
  token: string;
  /** Empty until known, when the cluster name comes from the input (the kubeconfig context, the snapshot). */
  cluster: string;
}

/**
 * Checks the flags before any scanning work; the token from the flag or the environment. With `nameFromInput`
 * the cluster name may come later from what was scanned (a live context, a snapshot's header).
 */
export function uploadTarget(flags: UploadFlags, nameFromInput = false): UploadTarget | undefined {
  if (!flags.upload) {
    if ((flags.token || flags.clusterName) && !flags.exceptionsFrom) throw new UsageError('--token and --cluster-name go with --upload or --exceptions-from');
    return undefined;
  }
  const token = flags.token ?? process.env.KUBEGUARD_TOKEN;
  if (!token) throw new UsageError('--upload needs --token or $KUBEGUARD_TOKEN');
  const cluster = flags.clusterName ?? '';
  if (!cluster && !nameFromInput) throw new UsageError('--upload needs --cluster-name NAME');
  return { url: flags.upload, token, cluster };
}

/**
 * The API token of a long-running process (webhook, agent): `--token-file` (a mounted Secret) or $KUBEGUARD_TOKEN
 * — never a flag, as a long-running process's command line is visible to every user of the node.
 */
export function longRunningToken(tokenFile: string | undefined, needs: string): string {
  let token = process.env.KUBEGUARD_TOKEN;
  if (tokenFile) {
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
    } catch (e) {
      throw new UsageError(`--token-file: ${errorMessage(e)}`);
    }
  }
  if (!token) throw new UsageError(`${needs} needs --token-file FILE or $KUBEGUARD_TOKEN`);
  return token;
}

/** Where the server's exceptions come from: `--exceptions-from`, else the `--upload` server; checked like it. */
export function exceptionsSource(flags: UploadFlags, nameFromInput = false): UploadTarget | undefined {
  const url = flags.exceptionsFrom ?? flags.upload;
  if (!url) return undefined;
  try {
    return uploadTarget({ ...flags, upload: url }, nameFromInput);
  } catch (e) {
    throw flags.exceptionsFrom && e instanceof UsageError ? new UsageError(e.message.replace('--upload', '--exceptions-from')) : e;
  }
}

/**
 * Sends a scan's findings (and, from a whole-cluster scan, its network and attack paths). A server older than the
 * inventory records refuses them as "unknown record": the upload goes again without them, and stderr says so.
 */
export async function uploadReport(target: UploadTarget, report: ScanReport, scope: UploadScope, resources: readonly ResourceRef[], scannedAt: Date, quiet?: boolean, inventory: readonly InventoryRecord[] = []): Promise<void> {
  if (!target.cluster) throw new UsageError('--upload needs --cluster-name NAME (the input does not name its cluster)');
  const header = { cluster: target.cluster, source: 'kubeguard', scope, scannedAt: scannedAt.toISOString() };
  const { sendUploadWithInventory } = await uploadClient();
  const outcome = await sendUploadWithInventory(
    { url: target.url, token: target.token, userAgent: `${TOOL.name}/${TOOL.version}`, onRetry: (m) => note(m, quiet) },
    (extra) => uploadLines(header, scope === 'resources' ? resources : [], report.findings, holdsOf(report, scope), suppressedOf(report), extra),
    inventory,
    (dropped) =>
      note(
        dropped === 'newer'
          ? "kubeguard: the server does not take the network model and RBAC power records (an older version): uploaded without them, so its dashboard cannot evaluate proposed NetworkPolicies nor show service accounts' power"
          : 'kubeguard: the server does not take network and attack-path records (an older version): findings uploaded without them',
        quiet,
      ),
  );
  const n = (k: string) => Number(outcome[k] ?? 0);
  const merged = n('received') > n('findings') ? ` (${n('received')} sent: findings with the same rule, object and field count once)` : '';
  const stale = outcome.stale ? ' (a newer scan of this cluster was received before: history unchanged)' : '';
  note(outcome.duplicate ? `uploaded to ${target.cluster}: already received, nothing changed` : `uploaded to ${target.cluster}: ${n('new')} new, ${n('fixed')} fixed, ${n('reopened')} reopened of ${n('findings')} findings${merged}${stale}`, quiet);
}

/** How old a cached set of server exceptions a scan still applies when the server cannot be reached. */
export const CACHED_EXCEPTIONS_MAX_AGE_MS = 24 * 3_600_000;

/**
 * The server's approved exceptions for the cluster, to apply with the config's: a scan that uploads judges as the
 * server does (exit code, report), and what they hide is uploaded as excepted, not lost. Each good answer is kept
 * in the user cache directory; when the server cannot be reached, a set fetched within the last 24 hours applies
 * (and stderr says so), else the scan cannot judge as the server would and stops (exit 3).
 */
export async function serverExceptions(target: UploadTarget, quiet?: boolean, now = new Date()): Promise<ExceptionSpec[]> {
  if (!target.cluster) throw new UsageError('--upload needs --cluster-name NAME (the input does not name its cluster)');
  const [{ ServerExceptions, defaultExceptionsCacheFile }, { UploadFailed }] = await Promise.all([exceptionsClient(), uploadClient()]);
  const source = new ServerExceptions({ url: target.url, token: target.token, cluster: target.cluster, userAgent: `${TOOL.name}/${TOOL.version}`, attempts: 3, cacheFile: defaultExceptionsCacheFile(target.url, target.cluster) });
  const r = await source.refresh(now);
  if (r.ok) {
    if (r.snapshot.exceptions.length) note(`${r.snapshot.exceptions.length} approved exception(s) from the server apply to ${target.cluster}`, quiet);
    return r.snapshot.exceptions;
  }
  const age = r.snapshot && now.getTime() - r.snapshot.fetchedAt.getTime();
  if (r.refused || !r.snapshot || age === undefined || age > CACHED_EXCEPTIONS_MAX_AGE_MS) {
    const cached = r.snapshot && !r.refused ? ` (the cached set is from ${r.snapshot.fetchedAt.toISOString()}, older than 24 hours)` : '';
    throw new UploadFailed(`${r.error}${cached}`);
  }
  // a warning, not progress: shown even with --quiet
  note(`kubeguard: the server cannot be reached (${r.error}); applying the ${r.snapshot.exceptions.length} exception(s) for ${target.cluster} fetched at ${r.snapshot.fetchedAt.toISOString()}`);
  return r.snapshot.exceptions;
}
