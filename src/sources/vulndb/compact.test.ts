import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import type { OsvRecord } from '../../analysis/vulns/osv.js';
import { compactRecord } from './compact.js';

test('compact records keep what matching and reporting read, and drop the prose and GIT ranges', () => {
  const flask = JSON.parse(readFileSync(join(conformanceDir('osv', 'records'), 'PyPI', 'PYSEC-2023-62.json'), 'utf8')) as OsvRecord;
  const c = compactRecord(flask);
  assert.equal(c.id, flask.id);
  assert.deepEqual(c.aliases, flask.aliases);
  assert.equal(c.modified, flask.modified);
  assert.deepEqual(c.affected?.[0].versions, flask.affected?.[0].versions);
  assert.deepEqual(c.affected?.[0].ranges?.map((r) => r.type), ['ECOSYSTEM']);
  assert.deepEqual(c.affected?.[0].package, flask.affected?.[0].package);
  assert.ok((c.details ?? '').length <= 500 && flask.details?.startsWith(c.details ?? '\u0000'));
  const ghsa = JSON.parse(readFileSync(join(conformanceDir('osv', 'records'), 'npm', 'GHSA-35jh-r3h4-6jhm.json'), 'utf8')) as OsvRecord;
  const g = compactRecord(ghsa);
  assert.deepEqual(g.severity, ghsa.severity);
  assert.deepEqual(g.database_specific, { severity: 'HIGH' });
  assert.equal(g.summary, ghsa.summary);
  assert.equal(g.details, undefined); // a summary exists
  assert.equal(g.affected?.[0].ecosystem_specific, undefined); // affected_functions are not used for matching
  assert.ok(JSON.stringify(g).length < JSON.stringify(ghsa).length);
});
