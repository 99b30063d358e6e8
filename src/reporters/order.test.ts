// Output for a person: worst first then by resource, counts and top rules at the top, file:line, one-line fix,
// --verbose for the rest, reasons for what was not evaluated; markdown and HTML in the same order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { scan } from '../engine/scan.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { forDisplay } from '../engine/display.js';
import { RULES, ruleById } from '../engine/catalog.js';
import { REPORTERS, renderedToString } from './index.js';
import { firstSentence } from './present.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: { name: zeta, namespace: shop }
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: { privileged: true }
  volumes:
    - name: root
      hostPath: { path: / }
---
apiVersion: v1
kind: Pod
metadata: { name: alpha, namespace: shop }
spec:
  containers:
    - name: app
      image: nginx
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: shop }
`;

const category = (id: string) => ruleById(id)?.category;
function report(filter = {}) {
  const parsed = parseManifestText(YAML, 'deploy/pods.yaml');
  const raw = scan(parsed.resources, { rules: resolveRules(RULES, { preset: 'recommended' }), now: new Date('2026-01-01'), skipped: [{ file: 'deploy/notes.yaml', line: 1, reason: 'not a Kubernetes object (no apiVersion/kind)' }] });
  return { raw, shown: forDisplay(raw, filter, category) };
}
const ctx = { color: false, rules: RULES, failOn: 'high' as const };

describe('table', () => {
  it('reads top-down: counts, top rules, column headers, worst first then by resource, file:line, one-line fix', () => {
    const { shown } = report();
    const text = renderedToString(REPORTERS.table(shown, ctx));
    const lines = text.split('\n');
    assert.match(lines[0], /^3 resources scanned: \d+ findings — \d+ critical · \d+ high · \d+ medium · \d+ low · \d+ info$/);
    assert.match(text, /\ntop rules: /);
    assert.match(text, /\nSEVERITY +RULE +RESOURCE +LOCATION\n/);
    const rows = lines.filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l));
    const sev = rows.map((r) => r.split(' ')[0]);
    const rank = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
    assert.deepEqual(sev, [...sev].sort((a, b) => rank.indexOf(a) - rank.indexOf(b)), 'worst first');
    const medium = rows.filter((r) => r.startsWith('MEDIUM')).map((r) => (r.includes('Pod/shop/alpha') ? 'alpha' : 'zeta'));
    assert.deepEqual(medium, [...medium].sort(), 'then by resource');
    assert.ok(rows.every((r) => /deploy\/pods\.yaml:\d+$/.test(r)), 'file:line a terminal opens');
    // the hostPath volume is one finding naming the other rules that judge it
    const root = lines.findIndex((l) => l.includes('sensitive-host-path-mount'));
    assert.match(lines[root + 2], /also: .*pss-host-path-volumes/);
    assert.match(lines[root + 3], /^ {10}fix: [^\n]*\.$/);
    // reasons for every entry that was not evaluated or skipped
    assert.match(text, /NOT EVALUATED \(1\)\n {2}no rule applies: kind Widget \(example.com\/v1\) is not known to any rule/);
    assert.match(text, /SKIPPED \(1\)\n {2}deploy\/notes\.yaml:1: not a Kubernetes object/);
  });

  it('--verbose adds every related finding, the standards, the whole remediation and the field', () => {
    const text = renderedToString(REPORTERS.table(report().shown, { ...ctx, verbose: true }));
    assert.match(text, /also (high|medium) pss-host-path-volumes \(deploy\/pods\.yaml:\d+\): /);
    assert.match(text, /standards: PSS baseline\/restricted: [^\n]*hostPathVolumes[^\n]*CIS 5\.2\.12/);
    assert.match(text, /field: \/spec\/volumes\/0\/hostPath · kubeguard rules explain sensitive-host-path-mount/);
  });

  it('markdown and HTML follow the same order', () => {
    const { shown } = report();
    const table = renderedToString(REPORTERS.table(shown, ctx)).split('\n').filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l)).map((l) => l.split(/ +/)[1]);
    const md = renderedToString(REPORTERS.markdown(shown, ctx)).split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l)).map((l) => /`([^`]+)`/.exec(l)![1]);
    const html = [...renderedToString(REPORTERS.html(shown, ctx)).matchAll(/<tr data-sev="[a-z]+" data-rule="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(md, table);
    assert.deepEqual(html, table);
  });
});

describe('SARIF of merged findings', () => {
  it('one result per problem, the merged findings as related locations', () => {
    const doc = JSON.parse(renderedToString(REPORTERS.sarif(report().shown, ctx))) as { runs: { results: { ruleId: string; relatedLocations?: { message: { text: string } }[] }[] }[] };
    const volume = doc.runs[0].results.filter((r) => r.ruleId === 'sensitive-host-path-mount');
    assert.equal(volume.length, 1);
    assert.ok(volume[0].relatedLocations?.some((l) => l.message.text.startsWith('pss-host-path-volumes (medium): ')));
  });
});

describe('display filters', () => {
  it('--severity, --rule and --skip-rule change what is shown, and say so; the report itself is untouched', () => {
    const { raw } = report();
    const high = forDisplay(raw, { severity: 'high' }, category);
    assert.ok(high.findings.length > 0 && high.findings.every((f) => f.severity === 'high' || f.severity === 'critical'));
    assert.deepEqual(high.shown?.filters, ['--severity high']);
    assert.ok((high.shown?.hidden ?? 0) > 0);
    const only = forDisplay(raw, { rules: ['image-tag-latest'] }, category);
    assert.deepEqual([...new Set(only.findings.map((f) => f.ruleId))], ['image-tag-latest']);
    // skipping the rule heading a merged finding leaves the rest of it standing
    const skipped = forDisplay(raw, { skipRules: ['sensitive-host-path-mount'] }, category);
    const vol = skipped.findings.find((f) => f.path === '/spec/volumes/0/hostPath');
    assert.ok(vol && vol.ruleId !== 'sensitive-host-path-mount' && !(vol.related ?? []).some((r) => r.ruleId === 'sensitive-host-path-mount'));
    assert.equal(forDisplay(raw, {}, category).shown, undefined);
  });

  it('a one-line fix ends at the first sentence, not inside "e.g."', () => {
    assert.equal(firstSentence('Use a digest (e.g. app@sha256:…) for every image. Then pin it.'), 'Use a digest (e.g. app@sha256:…) for every image.');
    assert.equal(firstSentence('Set automountServiceAccountToken: false where it is not needed.'), 'Set automountServiceAccountToken: false where it is not needed.');
  });
});
