/** `kubeguard pss` on upstream Pod Security admission fixtures: verdicts and check ids come from upstream. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { conformanceDir } from '../../test-support/conformance.js';
import { kubeguard } from '../test-support/run-cli.js';
import { ALL_CHECK_IDS, effectiveCheckFor } from '../../analysis/pss/index.js';

interface Row { file: string; line: number; kind: string; name: string; allowed: boolean; violations: { check: string; message: string }[] }

function run(level: string, version: string, expected: 'pass' | 'fail') {
  const dir = conformanceDir('pod-security', level, version, expected);
  const r = kubeguard(['pss', dir, '--level', level, '--version', version, '--format', 'json']);
  return { r, rows: JSON.parse(r.stdout) as Row[], files: readdirSync(dir).filter((f) => f.endsWith('.yaml')) };
}

describe('kubeguard pss', () => {
  it('denies every upstream "fail" fixture at restricted v1.37, naming the upstream check, and exits 1', () => {
    const { r, rows, files } = run('restricted', 'v1.37', 'fail');
    assert.equal(r.code, 1);
    assert.equal(rows.length, files.length);
    for (const row of rows) {
      assert.equal(row.allowed, false, row.file);
      assert.ok(row.line >= 1 && row.file.endsWith('.yaml'));
      // file names are the lower-cased upstream check id plus an index (SOURCE.md)
      const fileCheck = row.file.split('/').pop()!.replace(/\d+\.yaml$/, '');
      const checkId = ALL_CHECK_IDS.find((id) => id.toLowerCase() === fileCheck);
      assert.ok(checkId, `unknown check in file name ${row.file}`);
      // at restricted, upstream replaces some baseline checks (e.g. capabilities_baseline → capabilities_restricted)
      const expected = effectiveCheckFor(checkId, 'restricted', 'v1.37');
      assert.ok(row.violations.some((v) => v.check === expected), `${row.file}: ${row.violations.map((v) => v.check).join(',')}`);
    }
  });

  it('allows every upstream "pass" fixture at baseline v1.37 and exits 0', () => {
    const { r, rows, files } = run('baseline', 'v1.37', 'pass');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rows.length, files.length);
    assert.ok(rows.every((row) => row.allowed && row.violations.length === 0));
  });

  it('evaluates an older policy version when asked', () => {
    // sysctls allowed since v1.27 (net.ipv4.ip_local_reserved_ports) are denied at v1.26
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: "1024"}]\n  containers: [{name: c, image: x}]\n';
    const newer = JSON.parse(kubeguard(['pss', '-', '--level', 'baseline', '--version', 'v1.27', '-o', 'json'], pod).stdout) as Row[];
    const older = JSON.parse(kubeguard(['pss', '-', '--level', 'baseline', '--version', 'v1.26', '-o', 'json'], pod).stdout) as Row[];
    assert.equal(newer[0].allowed, true);
    assert.equal(older[0].allowed, false);
    assert.deepEqual(older[0].violations.map((v) => v.check), ['sysctls']);
  });

  it('rejects an unknown level or version with exit 2', () => {
    assert.equal(kubeguard(['pss', 'examples/', '--level', 'privileged-ish']).code, 2);
    assert.equal(kubeguard(['pss', 'examples/', '--version', 'v2']).code, 2);
  });
});
