/**
 * The bundled CLI (scripts/bundle-cli.mjs, what bin/kubeguard.js runs) answers exactly as the per-module build it
 * is made from: same reports, same exit codes, for commands that load code on demand (reporters, image scanning,
 * runtime detectors) and read files relative to their own module (the generated validators, the shipped trusted root).
 * The scan command's own bundle (dist/bundle-scan, what bin/kubeguard.js runs for `scan`) answers as they do.
 * `npm ci` and `npm run build` make them; a checkout without them fails here, it does not skip.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'bundle', 'run.js');
const SCAN_BUNDLE = join(REPO_ROOT, 'dist', 'bundle-scan', 'run-scan.js');
const BIN = join(REPO_ROOT, 'bin', 'kubeguard.js');
const MODULES = join(REPO_ROOT, 'dist', 'cli', 'run.js');

function run(entry: string, args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.replace(/"(generatedAt|scannedAt|time|now)": "[^"]*"/g, '"$1": "…"') };
}

describe('bundled CLI', () => {
  test('is built', () => {
    assert.ok(existsSync(BUNDLE) && existsSync(SCAN_BUNDLE) && existsSync(MODULES), 'dist/bundle/run.js, dist/bundle-scan/run-scan.js and dist/cli/run.js: run `npm run build`');
  });

  const cases: [string, string[]][] = [
    ['scan, JSON report', ['scan', 'testdata/realworld/microservices-demo/kubernetes-manifests.yaml', '--format', 'json', '-q']],
    ['scan, SARIF report', ['scan', 'testdata/realworld/microservices-demo/kubernetes-manifests.yaml', '--format', 'sarif', '-q']],
    ['scan --images without a database (could not evaluate)', ['scan', 'testdata/realworld/microservices-demo/kubernetes-manifests.yaml', '--images', '--db', '/nonexistent/vulns.db', '--format', 'json', '-q']],
    ['runtime analyze of Falco alerts', ['runtime', 'analyze', 'testdata/falco-events/docs-examples.jsonl', '--format', 'json', '-q']],
    ['rules list', ['rules', 'list']],
    // the shipped Sigstore trusted root is found relative to its module (trust/public-good)
    ['image verify-blob with the shipped trusted root', ['image', 'verify-blob', 'testdata/sigstore-conformance/bundle-verify/a.txt', '--bundle', 'testdata/sigstore-conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json', '--certificate-identity', 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main', '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com']],
    ['usage error', ['scan', '--format', 'nope', 'x.yaml']],
    ['scan --help', ['scan', '--help']],
  ];
  test('bin/kubeguard.js starts a scan from the scan bundle, other commands from the whole one', () => {
    const entryOf = (args: string[]) => {
      const record = join(mkdtempSync(join(tmpdir(), 'kg-bundle-')), 'modules.txt');
      spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'src', 'cli', 'test-support', 'record-modules.mjs'), BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, KUBEGUARD_RECORD_MODULES: record } });
      return readFileSync(record, 'utf8').split('\n').filter((u) => /^file:.*\/dist\/bundle(-scan)?\/run[^/]*\.js$/.test(u));
    };
    assert.deepEqual(entryOf(['scan', '--help']), [`file://${SCAN_BUNDLE}`]);
    assert.deepEqual(entryOf(['rules', 'list']), [`file://${BUNDLE}`]);
  });

  for (const [name, args] of cases) {
    test(name, () => {
      if (!existsSync(BUNDLE)) return assert.fail('not built');
      const bundled = run(BUNDLE, args);
      const modules = run(MODULES, args);
      assert.equal(bundled.status, modules.status);
      assert.equal(bundled.stdout, modules.stdout);
      assert.ok(bundled.stdout.length > 0 || bundled.status === 2);
      if (args[0] !== 'scan') return;
      for (const entry of [SCAN_BUNDLE, BIN]) assert.deepEqual(run(entry, args), modules, entry);
    });
  }
});
