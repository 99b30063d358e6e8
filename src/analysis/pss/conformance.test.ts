/**
 * Conformance against upstream's own fixtures (k8s.io/pod-security-admission test/testdata, read in place from
 * testdata/pod-security): every pass fixture must be allowed, every fail fixture denied at its
 * level/version, with the check named by the file (or the restricted check that overrides it there) among the
 * violations.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { conformanceDir } from '../../test-support/conformance.js';
import type { KubeObject } from '../../core/model.js';
import type { PodSpec } from '../../core/podspec.js';
import { ALL_CHECK_IDS, effectiveCheckFor, evaluatePod, pssReport } from './index.js';
import { refOf } from '../../core/ref.js';
import type { PssLevel } from './types.js';

const ROOT = conformanceDir('pod-security');
const LEVELS: PssLevel[] = ['baseline', 'restricted'];

/** File-name prefix (lower-cased check ID) → check ID. */
const CHECK_BY_PREFIX = new Map(ALL_CHECK_IDS.map((id) => [id.toLowerCase(), id]));

function checkOfFile(name: string): string | undefined {
  const stem = name.replace(/\.yaml$/, '');
  if (stem === 'base' || stem === 'base_linux' || stem === 'base_windows') return undefined;
  const prefix = stem.replace(/\d+$/, '');
  const id = CHECK_BY_PREFIX.get(prefix);
  if (!id) throw new Error(`fixture ${name}: unknown check prefix "${prefix}"`);
  return id;
}

function versionsOf(level: PssLevel): string[] {
  return readdirSync(join(ROOT, level))
    .filter((v) => /^v1\.\d+$/.test(v))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

interface Tally {
  total: number;
  agree: number;
}
const tally: Tally = { total: 0, agree: 0 };

describe('Pod Security Standards conformance (upstream fixtures)', () => {
  for (const level of LEVELS) {
    for (const version of versionsOf(level)) {
      it(`${level} ${version}`, () => {
        const problems: string[] = [];
        for (const expected of ['pass', 'fail'] as const) {
          const dir = join(ROOT, level, version, expected);
          for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
            const pod = yaml.load(readFileSync(join(dir, name), 'utf8')) as KubeObject;
            const result = evaluatePod(pod.metadata, pod.spec as PodSpec, { level, version });
            tally.total++;
            // Upstream also submits every fixture as the pod template of a Deployment: same verdict expected.
            const deployment: KubeObject = {
              apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: pod.metadata?.name },
              spec: { template: { metadata: pod.metadata, spec: pod.spec } },
            };
            const [row] = pssReport([{ ref: refOf(deployment), object: deployment }], level, version);
            if (row.allowed !== result.allowed || row.violations.length !== result.violations.length) {
              problems.push(`${expected}/${name}: verdict differs when wrapped in a Deployment`);
            }
            for (const p of row.violations.flatMap((v) => v.paths)) {
              if (!p.startsWith('/spec/template/')) problems.push(`${expected}/${name}: path ${p} outside the Deployment's template`);
            }
            const named = checkOfFile(name);
            if (expected === 'pass') {
              if (result.allowed) tally.agree++;
              else problems.push(`${expected}/${name}: denied by ${result.violations.map((v) => v.message).join('; ')}`);
              continue;
            }
            if (result.allowed) {
              problems.push(`${expected}/${name}: allowed`);
              continue;
            }
            tally.agree++;
            const want = named && effectiveCheckFor(named, level, version);
            if (named && !want) problems.push(`${expected}/${name}: check ${named} is not active at ${level} ${version}`);
            if (want && !result.violations.some((v) => v.check === want)) {
              problems.push(`${expected}/${name}: denied, but not by ${want} (${result.violations.map((v) => v.check).join(', ')})`);
            }
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  }

  it('covered every fixture listed in index.tsv, with 100% agreement', () => {
    const indexed = readFileSync(join(ROOT, 'index.tsv'), 'utf8').trim().split('\n').length - 1;
    assert.equal(tally.total, indexed);
    assert.equal(tally.agree, tally.total);
    // The measured figure, for the record (node --test prints diagnostics with the test).
    process.stdout.write(`# PSS conformance: ${tally.agree}/${tally.total} fixtures agree (${((100 * tally.agree) / tally.total).toFixed(2)}%)\n`);
  });
});
