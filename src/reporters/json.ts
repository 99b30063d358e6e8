/**
 * The JSON report, streamed: byte-identical to JSON.stringify(report, null, 2), but produced in chunks so a report
 * with millions of findings (a 150,000-pod cluster) never has to fit in one string.
 */
import type { ScanReport } from '../core/model.js';
import type { Reporter } from './types.js';
import { STREAMED, streamJson } from './stream-json.js';

export const json: Reporter = (report: ScanReport) => streamJson({ ...report, findings: STREAMED }, report.findings);
