// An unchanged apply is no drift: every real-world install (testdata/realworld) applied as kubectl client-side
// apply, server-side apply and helm would leave it — the live objects made from the manifests by the upstream
// defaulting data (defaults-data.ts), with server-set metadata, status, allocated Service addresses and
// managedFields — shows no drift at all, and custom resources get their CRD's schema defaults.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test-support/conformance.js';
import { loadPaths } from '../../sources/files/load.js';
import { resolveNamespaces } from '../../core/namespaces.js';
import { applied, type Applier } from './test-support/live.js';
import { driftOf } from './test-support/run.js';
import { hasKnownDefaults } from './defaults.js';
import { crdSchemas } from './crd-defaults.js';

const BASE = join(REPO_ROOT, 'testdata', 'realworld');
const INPUTS: [string, string | undefined][] = [
  ['kube-prometheus', undefined],
  ['ingress-nginx', undefined],
  ['microservices-demo', 'shop'],
  ['argocd', 'argocd'],
];

describe('drift: an unchanged apply of real-world manifests shows no drift', () => {
  for (const [input, namespace] of INPUTS) {
    for (const applier of ['kubectl-client-side-apply', 'kubectl-server-side-apply', 'helm'] as Applier[]) {
      it(`${input} (${applier})`, () => {
        const loaded = loadPaths([join(BASE, input)]);
        assert.deepEqual(loaded.errors, []);
        const manifests = resolveNamespaces(loaded.resources, { namespace }).resources;
        // custom resources get their CRD schema's defaults and pruning, as the apiextensions-apiserver does
        const schemas = crdSchemas(manifests.map((m) => m.object));
        const live = manifests.map((m) => applied(m.object, applier, schemas));
        const report = driftOf(manifests, live);
        assert.deepEqual(report.drifts.map((d) => `${d.drift.class} ${d.drift.kind}/${d.drift.name} ${d.drift.path}`), []);
        assert.equal(report.compared.matched, manifests.length);
        assert.ok(manifests.some((m) => hasKnownDefaults(m.object)), 'some objects got defaults');
      });
    }
  }
});
