/**
 * Issue 14: one fuzz target per parser of outside input (fast-check, bounded runs so CI stays within budget).
 * Each holds the hostile-input contract: whatever the bytes, the parser returns or fails with its own typed error
 * (never a TypeError, RangeError or stack overflow), and its errors carry no planted secret.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { decodeText } from '../sources/manifests/decode-text.js';
import { jsonErrorOffset, jsonErrorText } from '../core/json-error.js';
import { parseDockerfile } from '../sources/dockerfile/parse.js';
import { TarReader } from '../sources/images/tar-reader.js';
import { makeTar } from '../sources/images/test-support/build-image.js';
import { ImageFormatError, ImageLimitError, ImageSecurityError } from '../analysis/images/errors.js';
import { checkOsvRecord } from '../analysis/vulns/osv.js';
import { MemoryAdvisorySource } from '../analysis/vulns/source.js';
import { scanPackages } from '../analysis/vulns/scan.js';
import { BadReviewError, parseReview } from '../usecases/admission/review.js';
import { ManifestParseError } from '../core/errors.js';

const SECRET = 'KGSECRET4711';

/** A text with random edits (insertions of hostile characters, deletions, duplications) at random places. */
function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('insert', 'delete', 'dup'),
    text: fc.oneof(fc.constantFrom('\u0000', '\ufeff', '\r', '\t', '---\n', ': ', '&a ', '*a', '!!binary ', '{', '[', '"', "'", '\\', '\n  ', '- ', '#', '\u2028', '%YAML 1.1\n'), fc.string({ maxLength: 8 })),
  });
  return fc.array(edit, { maxLength: 6 }).map((edits) => {
    let s = base;
    for (const e of edits) {
      const at = e.at % (s.length + 1);
      if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
      else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.text.length + 1);
      else s = s.slice(0, at) + s.slice(at, at + 20) + s.slice(at);
    }
    return s;
  });
}

const MANIFEST = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    a: &x "${SECRET}"\nstringData:\n  password: ${SECRET}\n  copy: *x\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {privileged: y, runAsUser: 0_0}\n`;

const NUMS = { numRuns: 300 };

describe('parser fuzz targets', () => {
  it('YAML and JSON manifests: any bytes, any edit — a result, never a throw, no secret in an error', () => {
    const texts = fc.oneof(
      mutated(MANIFEST),
      mutated(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { p: SECRET } }] }, null, 2)),
      fc.uint8Array({ maxLength: 300 }).map((b) => decodeText(b).text),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const r = parseManifestText(text, 'x.yaml');
        for (const e of r.errors) {
          assert.ok(['parse', 'limit'].includes(e.kind), e.kind);
          assert.ok(!e.message.includes(SECRET), e.message);
        }
      }),
      NUMS,
    );
  });

  it('JSON index: the syntax check agrees with JSON.parse on any edit of JSON, and says where, never what', () => {
    const json = JSON.stringify({ a: [1, -2.5e3, true, null, { b: `x${SECRET}\u00e9\\"` }], c: {} }, null, 1);
    fc.assert(
      fc.property(fc.oneof(mutated(json), fc.string({ maxLength: 40 })), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        assert.equal(jsonErrorOffset(text) === -1, valid, JSON.stringify(text));
        if (!valid) assert.match(jsonErrorText(text), /^invalid JSON( at line \d+, column \d+|: the text ends too early)$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('Dockerfile: any edit of a Dockerfile parses or fails with ManifestParseError', () => {
    const dockerfile = `# syntax=docker/dockerfile:1\nFROM alpine:3.20 AS build\nARG TOKEN=${SECRET}\nRUN --mount=type=secret,id=t \\\n  echo hi && \\\n  apk add curl\nCOPY --from=build ["/a", "/b"]\nENV A=1 B="two words"\nCMD ["sh", "-c", "echo"]\nUSER 1000\n`;
    fc.assert(
      fc.property(mutated(dockerfile), (text) => {
        try {
          parseDockerfile(text, 'Dockerfile');
        } catch (e) {
          assert.ok(e instanceof ManifestParseError, String(e));
        }
      }),
      NUMS,
    );
  });

  it('tar: any edit or truncation of a layer fails with an image error, never a crash', async () => {
    const tar = await makeTar([
      { path: 'etc/os-release', content: 'ID=alpine\n' },
      { path: 'usr/bin/tool', content: Buffer.alloc(700, 7), mode: 0o755 },
      { path: `very/long/${'d'.repeat(120)}/name`, content: 'x' },
      { path: 'lib/link', type: 'symlink', linkname: '../etc/os-release' },
    ]);
    const edits = fc.array(fc.record({ at: fc.nat({ max: tar.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 });
    fc.assert(
      fc.property(edits, fc.nat({ max: tar.length }), fc.integer({ min: 1, max: 700 }), (changes, cut, chunk) => {
        const b = Buffer.from(tar.subarray(0, cut === 0 ? tar.length : cut));
        for (const c of changes) if (c.at < b.length) b[c.at] = c.byte;
        const reader = new TarReader(() => ({ data() {}, end() {} }), 'layer');
        try {
          for (let off = 0; off < b.length; off += chunk) reader.push(b.subarray(off, off + chunk));
          reader.end();
        } catch (e) {
          assert.ok(e instanceof ImageFormatError || e instanceof ImageSecurityError || e instanceof ImageLimitError, String(e));
        }
      }),
      NUMS,
    );
  });

  it('OSV: any JSON is accepted or refused with a reason; accepted records never break matching', () => {
    const version = fc.oneof(fc.constantFrom('0', '1.0.0', '1.2.3-rc.1', '2.0', ''), fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.constant(null));
    const event = fc.dictionary(fc.constantFrom('introduced', 'fixed', 'last_affected', 'limit', 'x'), version, { maxKeys: 2 });
    const range = fc.record({ type: fc.oneof(fc.constantFrom('SEMVER', 'ECOSYSTEM', 'GIT'), fc.integer()), events: fc.oneof(fc.array(event, { maxLength: 3 }), fc.string()) }, { requiredKeys: [] });
    const affected = fc.record(
      {
        package: fc.oneof(fc.record({ ecosystem: fc.constantFrom('npm', 'PyPI', 'Debian:12', 'Go'), name: fc.constantFrom('left-pad', 'flask', 'openssl') }), fc.anything()),
        ranges: fc.oneof(fc.array(range, { maxLength: 2 }), fc.anything()),
        versions: fc.oneof(fc.array(version, { maxLength: 3 }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const record = fc.record({ id: fc.oneof(fc.constantFrom('GHSA-1', 'CVE-2024-1'), fc.anything()), affected: fc.oneof(fc.array(affected, { maxLength: 2 }), fc.anything()), severity: fc.oneof(fc.constantFrom('HIGH', 'moderate'), fc.anything()) }, { requiredKeys: [] });
    const packages = [
      { name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' },
      { name: 'flask', version: '2.3.1', purl: 'pkg:pypi/flask@2.3.1' },
      { name: 'openssl', version: '3.0.11-1', purl: 'pkg:deb/debian/openssl@3.0.11-1?distro=debian-12' },
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(record, fc.anything()), { maxLength: 4 }), (values) => {
        const accepted = values.map(checkOsvRecord).flatMap((c) => (c.ok ? [c.record] : []));
        scanPackages(new MemoryAdvisorySource(accepted), packages);
      }),
      NUMS,
    );
  });

  it('AdmissionReview: any edit of a review parses or is a BadReviewError, which never echoes a secret or grows with the body', () => {
    const review = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u-1', operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env: [{ name: 'PASSWORD', value: SECRET }] }] } } } });
    fc.assert(
      fc.property(mutated(review), (body) => {
        try {
          parseReview(body);
        } catch (e) {
          assert.ok(e instanceof BadReviewError, String(e));
          assert.ok(!e.message.includes(SECRET), e.message);
          assert.ok(e.message.length < 300, e.message);
        }
      }),
      { numRuns: 500 },
    );
  });
});
