/**
 * Provenance: what a signature check costs. In process: every sigstore-conformance case that must verify, through
 * the same function `image verify-blob` uses, against the bare JSON.parse of its bundle (the floor: reading the
 * input). As users run it: `kubeguard image verify-blob` as a cold process against a cold `kubeguard --help`-free
 * start (`node --import tsx` of an empty module), measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBundle } from '../../src/analysis/images/sigstore/verify-bundle.js';
import { conformanceDir, REPO_ROOT } from '../../src/test-support/conformance.js';

const DIR = conformanceDir('sigstore-conformance', 'bundle-verify');
const ID = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const shipped = JSON.parse(readFileSync(join(REPO_ROOT, 'trust', 'public-good', 'trusted_root.json'), 'utf8')) as unknown;

const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.endsWith('_fail') && !existsSync(join(DIR, e.name, 'key.pub')))
  .map((e) => {
    const d = join(DIR, e.name);
    const text = readFileSync(join(d, 'bundle.sigstore.json'), 'utf8');
    const read = (f: string, dflt: string) => (existsSync(join(d, f)) ? readFileSync(join(d, f), 'utf8').trim() : dflt);
    return {
      text,
      artifact: readFileSync(existsSync(join(d, 'artifact')) ? join(d, 'artifact') : join(DIR, 'a.txt')),
      root: existsSync(join(d, 'trusted_root.json')) ? (JSON.parse(readFileSync(join(d, 'trusted_root.json'), 'utf8')) as unknown) : shipped,
      policy: { identity: read('identity', ID), issuer: read('issuer', ISSUER) },
    };
  });

const ROUNDS = 20;
const time = (f: () => void) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) f();
  return Number(process.hrtime.bigint() - t) / 1e6 / ROUNDS / cases.length;
};
const verifyAll = () => {
  for (const c of cases) if (verifyBundle({ bundle: JSON.parse(c.text), artifact: c.artifact, trustedRoot: c.root, policy: c.policy }).status !== 'verified') throw new Error('a passing case did not verify');
};
verifyAll();
const parse = time(() => cases.forEach((c) => JSON.parse(c.text)));
const verify = time(verifyAll);
console.log(`in process: ${cases.length} keyless conformance bundles, ${verify.toFixed(2)} ms per verification vs ${parse.toFixed(4)} ms to parse the bundle (${(verify / parse).toFixed(0)}×)`);

const empty = join(mkdtempSync(join(tmpdir(), 'kg-bench-prov-')), 'empty.ts');
writeFileSync(empty, '');
const cold = (args: string[]) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0 && args.length > 1) throw new Error(r.stdout + r.stderr);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base: number[] = [];
const cli: number[] = [];
for (let i = 0; i < 5; i++) {
  base.push(cold([empty]));
  cli.push(cold(['src/cli/run.ts', 'image', 'verify-blob', join(DIR, 'a.txt'), '--bundle', join(DIR, 'happy-path-v0.3', 'bundle.sigstore.json'), '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER]));
}
console.log(`cold process: image verify-blob ${median(cli).toFixed(0)} ms vs an empty module ${median(base).toFixed(0)} ms (${(median(cli) / median(base)).toFixed(2)}×, median of 5)`);
