import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../../core/model.js';
import type { Incident } from '../../analysis/runtime/incidents.js';
import { incidentJson, incidentsJsonChunks, incidentsTableChunks } from '../../reporters/incidents.js';
import { decorate, decorateOne } from './analyze.js';
import { RankedIncidents } from './ranked-incidents.js';

function incident(n: number, severity: Severity, firstTs: number): Incident {
  const time = new Date(firstTs).toISOString();
  return {
    key: `k${n}`,
    id: `k${n}-${firstTs}`,
    ruleId: n % 2 ? 'runtime-shell-in-container' : 'runtime-port-scan',
    severity,
    message: `message ${n}`,
    workload: { namespace: 'shop', name: `w${n}`, kind: 'Deployment', pod: `w${n}-abc`, container: 'app' },
    count: n + 1,
    firstSeen: time,
    lastSeen: time,
    nodes: ['node-1'],
    pods: [],
    evidence: [{ kind: 'process.exec', ts: firstTs, time, workload: { namespace: 'shop', pod: `w${n}-abc` }, process: { binary: '/bin/sh' } } as unknown as Incident['evidence'][number]],
    score: 0,
    firstTs,
    lastTs: firstTs,
  };
}

const SEVERITIES: Severity[] = ['low', 'critical', 'medium', 'high', 'info', 'high', 'critical', 'low'];
const incidents = SEVERITIES.map((s, n) => incident(n, s, 1_700_000_000_000 + (n % 3) * 1000));

test('incidents read back from the spool in the order decorate ranks them, with the same JSON', () => {
  const ranked = new RankedIncidents();
  try {
    for (const i of incidents) ranked.add(decorateOne(i, undefined));
    assert.equal(ranked.count, incidents.length);
    assert.deepEqual([...ranked], decorate(incidents, undefined).map(incidentJson));
    assert.deepEqual([...ranked], [...ranked], 'iterating twice gives the same report');
    assert.equal(ranked.reaches('critical'), true);
  } finally {
    ranked.close();
  }
  const quiet = new RankedIncidents();
  quiet.add(decorateOne(incident(0, 'low', 0), undefined));
  assert.equal(quiet.reaches('medium'), false);
  assert.equal(quiet.reaches('low'), true);
  quiet.close();
});

test('the streamed JSON report is the text JSON.stringify gives for the whole report', () => {
  const events = { read: 12, skipped: 1 };
  for (const list of [[], incidents.slice(0, 1), incidents]) {
    const json = decorate(list, undefined).map(incidentJson);
    assert.equal([...incidentsJsonChunks(json, events)].join(''), JSON.stringify({ incidents: json, events }, null, 2) + '\n');
  }
});

test('the table summarises what it listed', () => {
  const json = decorate(incidents, undefined).map(incidentJson);
  const text = [...incidentsTableChunks(json, { read: 20, skipped: 0 })].join('');
  assert.match(text, /^CRITICAL /);
  assert.match(text, /message 1\n/);
  assert.match(text, /\n8 incident\(s\) \(2 critical, 2 high, 1 medium, 2 low, 1 info\) from 20 event\(s\); 0 record\(s\) skipped\n$/);
  assert.equal([...incidentsTableChunks([], { read: 0, skipped: 3 })].join(''), '0 incident(s) from 0 event(s); 3 record(s) skipped\n');
});
