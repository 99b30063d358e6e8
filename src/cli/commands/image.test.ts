/**
 * `kubeguard image sbom|scan` through commander with the real image library (the command is registered in
 * main.ts by the lead; here it is mounted on a fresh program). Output goes to files via --output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerImage } from './image.js';
import { makeLayer, writeOciLayout } from '../../sources/images/test-support/build-image.js';

async function run(args: string[]): Promise<number> {
  const program = new Command().exitOverride();
  registerImage(program);
  process.exitCode = undefined;
  await program.parseAsync(['node', 'kubeguard', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return code;
}

test('image sbom writes CycloneDX/SPDX/table; image scan exits 1 on high findings and renders JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-cli-img-'));
  const layout = join(dir, 'layout');
  const status = 'Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\nSource: hello-src (2.10-3)\n';
  writeOciLayout(layout, [{ layers: [await makeLayer([{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }, { path: 'var/lib/dpkg/status', content: status }, { path: 'usr/bin/su', content: 'x', mode: 0o4755 }])] }]);

  assert.equal(await run(['image', 'sbom', layout, '-q', '--format', 'cyclonedx-json', '--output', join(dir, 'bom.json')]), 0);
  const bom = JSON.parse(readFileSync(join(dir, 'bom.json'), 'utf8')) as { specVersion: string; components: { purl?: string }[] };
  assert.equal(bom.specVersion, '1.6');
  assert.ok(bom.components.some((c) => c.purl === 'pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12'));

  assert.equal(await run(['image', 'sbom', layout, '-q', '--format', 'spdx-json', '--output', join(dir, 'spdx.json')]), 0);
  assert.equal((JSON.parse(readFileSync(join(dir, 'spdx.json'), 'utf8')) as { spdxVersion: string }).spdxVersion, 'SPDX-2.3');

  assert.equal(await run(['image', 'sbom', layout, '-q', '--output', join(dir, 'table.txt')]), 0);
  assert.match(readFileSync(join(dir, 'table.txt'), 'utf8'), /hello\s+2\.10-3\s+deb\s+hello-src/);

  // No User in the config: image-runs-as-root (high) → exit 1 at the default --fail-on high (hygiene only here:
  // vulnerability matching is tested in image-vulns.test.ts, and without a database it would say "not evaluated").
  assert.equal(await run(['image', 'scan', layout, '-q', '--no-vulns', '-o', 'json', '--output', join(dir, 'scan.json')]), 1);
  const report = JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8')) as { findings: { ruleId: string; path: string }[] };
  assert.ok(report.findings.some((f) => f.ruleId === 'image-runs-as-root'));
  assert.ok(report.findings.some((f) => f.ruleId === 'image-setuid-binaries' && f.path === '/rootfs/usr/bin/su'));
  assert.equal(await run(['image', 'scan', layout, '-q', '--no-vulns', '--fail-on', 'critical', '--output', join(dir, 'scan.txt')]), 0);

  // An existing SBOM is accepted as input: CycloneDX → SPDX keeps the purls.
  assert.equal(await run(['image', 'sbom', join(dir, 'bom.json'), '-q', '--format', 'spdx-json', '--output', join(dir, 'converted.json')]), 0);
  const converted = JSON.parse(readFileSync(join(dir, 'converted.json'), 'utf8')) as { packages: { externalRefs?: { referenceLocator: string }[] }[] };
  assert.ok(converted.packages.some((p) => p.externalRefs?.[0].referenceLocator === 'pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12'));

  await assert.rejects(run(['image', 'sbom', layout, '-q', '--format', 'xml']), /--format must be one of/);
  rmSync(dir, { recursive: true, force: true });
});
