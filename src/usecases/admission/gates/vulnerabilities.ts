/**
 * Gate: every image has a vulnerability scan result, and nothing in it reaches `failOn`. The lookup of scan
 * results is a function supplied by the vulnerability module; when no result exists yet the gate either denies
 * with a message or admits and asks for a background scan (never on dry-run requests: no side effects).
 */
import type { Severity } from '../../../core/model.js';
import { SEVERITIES, severityRank } from '../../../core/model.js';
import { errorMessage } from '../../../core/errors.js';
import type { GateContext, GateImage, GateResult, GateUndecided, GateViolation, ImageGate } from './types.js';

export type ScanResult =
  | { status: 'found'; counts: Partial<Record<Severity, number>>; /** When the image was scanned (ISO 8601), for the message. */ scannedAt?: string }
  /** `reason` completes `image "…" …` when a result exists but does not count (e.g. it is too old). */
  | { status: 'missing'; reason?: string };

export type ScanResultLookup = (image: GateImage, signal: AbortSignal) => Promise<ScanResult>;

export interface VulnerabilityGateOptions {
  lookup: ScanResultLookup;
  failOn: Severity;
  onMissing?: 'deny' | 'allow-and-scan';
  /** Asks for a background scan of an image (allow-and-scan). */
  requestScan?: (image: string) => void;
}

export function vulnerabilityGate(options: VulnerabilityGateOptions): ImageGate {
  const threshold = severityRank(options.failOn);
  return {
    name: 'vulnerabilities',
    async check(images: readonly GateImage[], ctx: GateContext): Promise<GateResult> {
      const violations: GateViolation[] = [];
      const undecided: GateUndecided[] = [];
      const notes: string[] = [];
      await Promise.all(
        images.map(async (img) => {
          let result;
          try {
            result = await options.lookup(img, ctx.signal);
          } catch (e) {
            undecided.push({ image: img.image, path: img.paths[0], reason: `scan result lookup failed: ${errorMessage(e)}` });
            return;
          }
          if (result.status === 'missing') {
            if ((options.onMissing ?? 'deny') === 'deny') {
              const why = result.reason ?? 'has no vulnerability scan result yet';
              violations.push({ image: img.image, path: img.paths[0], message: `image "${img.image}" ${why}; scan it (kubeguard image scan --record) before deploying` });
            } else {
              if (!ctx.dryRun) options.requestScan?.(img.image);
              const why = result.reason ?? 'has no scan result yet';
              notes.push(`image "${img.image}" ${why}; admitted${ctx.dryRun || !options.requestScan ? '' : ' and queued for a background scan'}`);
            }
            return;
          }
          const over = SEVERITIES.filter((s) => severityRank(s) >= threshold && (result.counts[s] ?? 0) > 0);
          if (over.length > 0) {
            const summary = over.reverse().map((s) => `${result.counts[s]} ${s}`).join(', ');
            const when = result.scannedAt ? ` (scanned ${result.scannedAt})` : '';
            violations.push({ image: img.image, path: img.paths[0], message: `image "${img.image}" has vulnerabilities at or above ${options.failOn}: ${summary}${when}` });
          }
        }),
      );
      return { violations, undecided, notes };
    },
  };
}
