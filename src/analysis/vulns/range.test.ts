/**
 * OSV range evaluation against the schema's own rules (https://ossf.github.io/osv-schema/#evaluation) and its
 * worked examples: events are sorted by version before evaluation, "introduced: 0" is the lowest version, a
 * `fixed` excludes its own version, `last_affected` includes its own, `limit` bounds the range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAffected, evaluateRange } from './range.js';
import { semverScheme } from './versions/npm.js';
import { dpkgScheme } from './versions/dpkg.js';
import type { OsvRange } from './osv.js';

const sem = (events: OsvRange['events']): OsvRange => ({ type: 'SEMVER', events });

test('events are evaluated in version order, whatever order the record lists them in', () => {
  const r = sem([{ fixed: '2.0.0' }, { introduced: '1.5.0' }, { fixed: '1.0.0' }, { introduced: '0' }]);
  const at = (v: string) => evaluateRange(r, v, semverScheme);
  assert.deepEqual(at('0.9.0'), { affected: true, fixed: '1.0.0' });
  assert.deepEqual(at('1.0.0'), { affected: false });
  assert.deepEqual(at('1.4.9'), { affected: false });
  assert.deepEqual(at('1.5.0'), { affected: true, fixed: '2.0.0' });
  assert.deepEqual(at('2.0.0'), { affected: false });
});

test('schema example: introduced 1.0.0, fixed 1.0.2 / introduced 1.1.0, last_affected 1.1.3 (no fix known)', () => {
  const r = sem([{ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '1.1.0' }, { last_affected: '1.1.3' }]);
  const at = (v: string) => evaluateRange(r, v, semverScheme).affected;
  assert.deepEqual(['0.9.9', '1.0.0', '1.0.1', '1.0.2', '1.0.9', '1.1.0', '1.1.3', '1.1.4'].map(at), [false, true, true, false, false, true, true, false]);
  assert.equal(evaluateRange(r, '1.1.2', semverScheme).lastAffected, '1.1.3');
  // pre-releases of the fix are still affected
  assert.equal(at('1.0.2-rc.1'), true);
});

test('introduced only: every version from it on is affected (unfixed)', () => {
  assert.deepEqual(evaluateRange(sem([{ introduced: '0' }]), '99.0.0', semverScheme), { affected: true });
  assert.equal(evaluateRange(sem([{ introduced: '2.0.0' }]), '1.9.9', semverScheme).affected, false);
});

test('limit: versions at or above every limit are outside the range', () => {
  const r = sem([{ introduced: '0' }, { limit: '3.0.0' }]);
  assert.equal(evaluateRange(r, '2.9.9', semverScheme).affected, true);
  assert.equal(evaluateRange(r, '3.0.0', semverScheme).affected, false);
});

test('ECOSYSTEM ranges use the ecosystem order (dpkg tilde below the release)', () => {
  const r: OsvRange = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] };
  assert.equal(evaluateRange(r, '3.0.13-1~deb12u0', dpkgScheme).affected, true);
  assert.equal(evaluateRange(r, '3.0.13-1', dpkgScheme).affected, false); // ~ sorts before the end
  assert.equal(evaluateRange(r, '3.0.11-1~deb12u2', dpkgScheme).affected, true);
});

test('affected entry: versions list OR ranges; GIT ranges ignored; unparseable versions are problems, not "clean"', () => {
  const entry = {
    package: { ecosystem: 'npm', name: 'x' },
    ranges: [{ type: 'GIT', repo: 'r', events: [{ introduced: '0' }, { fixed: 'deadbeef' }] }, sem([{ introduced: '0' }, { fixed: '1.0.0' }])],
    versions: ['1.5.0'],
  };
  assert.equal(evaluateAffected(entry, '0.5.0', 'npm').via, 'range');
  const listed = evaluateAffected(entry, '1.5.0', 'npm');
  assert.equal(listed.via, 'versions');
  assert.equal(listed.affected, true);
  assert.equal(evaluateAffected(entry, '1.6.0', 'npm').affected, false);
  const bad = evaluateAffected(entry, 'banana', 'npm');
  assert.equal(bad.affected, false);
  assert.equal(bad.problems.length, 1);
  assert.deepEqual(evaluateAffected({ package: { ecosystem: 'NuGet', name: 'y' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], versions: ['1.0.0'] }, '1.0.0', 'NuGet').via, 'versions');
});
