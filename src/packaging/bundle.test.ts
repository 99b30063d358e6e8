/**
 * The bundled CLI (scripts/bundle-cli.mjs, what bin/kubeguard.js runs) answers exactly as the per-module build it
 * is made from: same reports, same exit codes, for commands that load code on demand (reporters, image scanning,
 * runtime detectors) and read files relative to their own module (the generated validators, the shipped trusted root).
 * `npm ci` and `npm run build` make both; a checkout without them fails here, it does not skip.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'bundle', 'run.js');
const MODULES = join(REPO_ROOT, 'dist', 'cli', 'run.js');

function run(entry: string, args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.replace(/"(generatedAt|scannedAt|time|now)": "[^"]*"/g, '"$1": "…"') };
}

describe('bundled CLI', () => {
  test('is built', () => {
    assert.ok(existsSync(BUNDLE) && existsSync(MODULES), 'dist/bundle/run.js and dist/cli/run.js: run `npm run build`');
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
  ];
  for (const [name, args] of cases) {
    test(name, () => {
      if (!existsSync(BUNDLE)) return assert.fail('not built');
      const bundled = run(BUNDLE, args);
      const modules = run(MODULES, args);
      assert.equal(bundled.status, modules.status);
      assert.equal(bundled.stdout, modules.stdout);
      assert.ok(bundled.stdout.length > 0 || bundled.status === 2);
    });
  }
});
