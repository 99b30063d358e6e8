/**
 * Panther's Kubernetes audit test cases (testdata/k8s-audit/panther-k8s-audit-cases.jsonl, see its SOURCE.md) as
 * events, for the detectors whose rules cover Panther's. Panther's logs are hand-written and most carry no time;
 * a real record always has one, so a fixed time is added where it is missing (it does not change any verdict).
 */
import { readTestdata } from '../../test-support/testdata.js';
import { readEventsText } from '../../sources/events/reader.js';
import type { RuntimeEvent } from '../../core/events/model.js';

export interface PantherCase {
  name: string;
  format: string;
  expected: boolean;
  events: RuntimeEvent[];
  skipped: Record<string, number>;
}

const TIME = '2024-01-01T00:00:00Z';

export function pantherCases(ruleId: string): PantherCase[] {
  const lines = readTestdata('k8s-audit', 'panther-k8s-audit-cases.jsonl').trim().split('\n').map((l) => JSON.parse(l));
  return lines
    .filter((c) => c.rule_id === ruleId)
    .map((c) => {
      const raw = { ...c.raw_log };
      if (c.format === 'gke-cloud-audit-log') raw.timestamp ??= TIME;
      else if (c.format === 'aks-diagnostic-wrapped') raw.time ??= TIME;
      else if (!raw.stageTimestamp && !raw.requestReceivedTimestamp) raw.stageTimestamp = TIME;
      const { events, stats } = readEventsText(JSON.stringify(raw));
      return { name: c.test_name, format: c.format, expected: c.expected_result, events, skipped: stats.reasons };
    });
}
