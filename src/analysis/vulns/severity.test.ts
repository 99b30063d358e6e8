/** CVSS scoring (FIRST equations via ae-cvss-calculator) and the qualitative bands; scores are NVD's published ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessSeverity, cvssBaseScore, severityFromScore } from './severity.js';

test('CVSS base scores for well-known vectors (v2, v3.0, v3.1, v4.0)', () => {
  assert.equal(cvssBaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), 10); // CVE-2021-44228
  assert.equal(cvssBaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'), 7.5); // CVE-2014-0160 (v3)
  assert.equal(cvssBaseScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
  assert.equal(cvssBaseScore('AV:N/AC:L/Au:N/C:P/I:N/A:N'), 5); // CVE-2014-0160 (v2)
  assert.equal(cvssBaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3);
  assert.equal(cvssBaseScore('CVSS:3.1/AV:N'), undefined);
  assert.equal(cvssBaseScore('garbage'), undefined);
});

test('qualitative bands (CVSS v3.1 spec §5)', () => {
  assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityFromScore), ['info', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
});

test('preference: v4 over v3; database labels without vectors; unknown otherwise', () => {
  const both = assessSeverity({
    id: 'X',
    severity: [
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    ],
  });
  assert.equal(both.source, 'CVSS_V4');
  assert.equal(both.score, 9.3);
  assert.equal(assessSeverity({ id: 'G', database_specific: { severity: 'MODERATE' } }).severity, 'medium');
  assert.equal(assessSeverity({ id: 'U', severity: [{ type: 'Ubuntu', score: 'negligible' }] }).severity, 'info');
  assert.deepEqual(assessSeverity({ id: 'N' }), { severity: 'unknown', source: 'none' });
});
