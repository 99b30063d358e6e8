import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent, encodeEvent, EVENT_LIMITS, EVENT_WIRE_VERSION, parseEventTime } from './wire.js';
import { EVENT_KINDS, type RuntimeEvent } from './model.js';
import { REPO_ROOT } from '../../test-support/conformance.js';

const decode = (line: string) => decodeEvent(JSON.parse(line));

/** The JSON-lines examples of docs/runtime.md (every line in a ```jsonl block). */
function docExamples(): string[] {
  const md = readFileSync(join(REPO_ROOT, 'docs', 'runtime.md'), 'utf8');
  return [...md.matchAll(/```jsonl\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').filter((l) => l.trim()));
}

test('every example line in docs/runtime.md decodes, and together they cover every event kind', () => {
  const kinds = new Set<string>();
  for (const line of docExamples()) {
    const r = decode(line);
    assert.ok(r.ok, `${line}\n${r.ok ? '' : r.error}`);
    kinds.add(r.event.kind);
  }
  assert.deepEqual([...kinds].sort(), [...EVENT_KINDS].sort());
});

test('encode and decode round-trip: ts is derived from time and never written', () => {
  for (const line of docExamples()) {
    const r = decode(line);
    assert.ok(r.ok);
    const again = encodeEvent(r.event);
    assert.ok(!again.includes('"ts"'));
    assert.equal(JSON.parse(again).v, EVENT_WIRE_VERSION);
    const r2 = decode(again);
    assert.ok(r2.ok);
    assert.deepEqual(r2.event, r.event);
  }
});

test('time keeps nanoseconds on the wire; ts is milliseconds since the epoch', () => {
  const r = decode('{"v":1,"kind":"process.exec","time":"2023-05-25T13:44:05.478445995Z","workload":{},"process":{"name":"sh"}}');
  assert.ok(r.ok);
  assert.equal(r.event.time, '2023-05-25T13:44:05.478445995Z');
  assert.equal(r.event.ts, Date.UTC(2023, 4, 25, 13, 44, 5, 478));
  assert.deepEqual((r.event as Extract<RuntimeEvent, { kind: 'process.exec' }>).process.args, []);
  assert.equal(parseEventTime('2023-05-25T15:44:05+02:00'), Date.UTC(2023, 4, 25, 13, 44, 5));
  for (const t of ['2023-05-25', 'May 25 2023', '2023-13-01T00:00:00Z', '']) assert.ok(Number.isNaN(parseEventTime(t)), t);
});

test('fields this version does not know are ignored (a newer producer may add them)', () => {
  const r = decode('{"v":1,"kind":"file.access","time":"2024-01-01T00:00:00Z","workload":{"pod":"p","future":1},"file":{"path":"/etc/shadow","op":"open","inode":5},"extra":[1]}');
  assert.ok(r.ok);
});

test('rejects a broken line naming the field, never echoing the value', () => {
  const secret = 'hunter2-very-secret';
  const cases: [string, RegExp][] = [
    ['[1]', /not a JSON object/],
    ['{"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{},"process":{"name":"sh"}}', /^v: wire version missing/],
    ['{"v":2,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{},"process":{"name":"sh"}}', /^v: wire version newer than 1/],
    [`{"v":1,"kind":"${secret}","time":"2024-01-01T00:00:00Z","workload":{}}`, /^kind: unknown event kind/],
    [`{"v":1,"kind":"process.exec","time":"${secret}","workload":{},"process":{"name":"sh"}}`, /^time: not an RFC 3339 time/],
    ['{"v":1,"kind":"process.exec","time":"2024-01-01T00:00:00Z","process":{"name":"sh"}}', /^event\.workload: required object/],
    ['{"v":1,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{},"process":{"args":["a"]}}', /^event\.process\.name: required string/],
    [`{"v":1,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{"pod":7},"process":{"name":"sh"}}`, /^event\.workload\.pod: must be a string/],
    [`{"v":1,"kind":"network.connect","time":"2024-01-01T00:00:00Z","workload":{},"network":{"protocol":"TCP","src":{},"dst":{"port":70000}}}`, /^event\.network\.dst\.port: must be a number in range/],
    [`{"v":1,"kind":"network.flow","time":"2024-01-01T00:00:00Z","workload":{},"network":{"protocol":"${secret}","src":{},"dst":{}}}`, /^event\.network\.protocol/],
    [`{"v":1,"kind":"file.access","time":"2024-01-01T00:00:00Z","workload":{},"file":{"path":"/x","op":"${secret}"}}`, /^event\.file\.op: unknown file operation/],
    [`{"v":1,"kind":"k8s.api","time":"2024-01-01T00:00:00Z","workload":{},"api":{"verb":"get"}}`, /^event\.api\.user: required object/],
  ];
  for (const [line, want] of cases) {
    const r = decode(line);
    assert.equal(r.ok, false, line);
    assert.match(r.ok ? '' : r.error, want, line);
    assert.ok(!(r.ok ? '' : r.error).includes(secret));
  }
});

test('bounds: too long strings, too many arguments or labels are refused', () => {
  const base = { v: 1, kind: 'process.exec', time: '2024-01-01T00:00:00Z', workload: {}, process: { name: 'sh' } };
  const long = decodeEvent({ ...base, process: { name: 'x'.repeat(EVENT_LIMITS.string + 1) } });
  assert.ok(!long.ok && /too long/.test(long.error));
  const args = decodeEvent({ ...base, process: { name: 'sh', args: Array(EVENT_LIMITS.args + 1).fill('a') } });
  assert.ok(!args.ok && /more than 512 entries/.test(args.error));
  const labels = decodeEvent({ ...base, workload: { labels: Object.fromEntries(Array.from({ length: EVENT_LIMITS.labels + 1 }, (_, i) => [`k${i}`, 'v'])) } });
  assert.ok(!labels.ok && /more than 256 entries/.test(labels.error));
});

test('a host process is marked host and carries no pod', () => {
  const r = decode('{"v":1,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{"node":"n1","host":true},"process":{"name":"uname","binary":"/usr/bin/uname","args":["-a"]}}');
  assert.ok(r.ok);
  assert.equal(r.event.workload.host, true);
  assert.equal(r.event.workload.pod, undefined);
});
