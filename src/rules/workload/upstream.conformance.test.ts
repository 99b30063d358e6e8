/**
 * Workload rules against upstream Polaris, Kyverno and Kubescape fixtures (testdata). Each case's expected verdict
 * is upstream's; the disagreements listed below are deliberate and explained, and the test fails if any other
 * verdict differs (or if a listed difference disappears, so the list cannot rot).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../core/model.js';
import { agreementLine, compareKubescape, compareKyverno, comparePolaris, disagreements } from './test-support/upstream-conformance.js';
import type { Comparison } from './test-support/upstream-conformance.js';
import readOnlyRootFilesystem from './read-only-root-filesystem/rule.js';
import cpuLimit from './cpu-limit-missing/rule.js';
import memoryLimit from './memory-limit-missing/rule.js';
import requests from './resource-requests-missing/rule.js';
import liveness from './liveness-probe-missing/rule.js';
import readiness from './readiness-probe-missing/rule.js';
import tagLatest from './image-tag-latest/rule.js';
import digest from './image-not-pinned-by-digest/rule.js';
import registry from './image-registry-not-allowed/rule.js';
import automount from './service-account-token-automounted/rule.js';
import defaultNamespace from './default-namespace/rule.js';
import netRaw from './net-raw-not-dropped/rule.js';
import socket from './container-runtime-socket-mount/rule.js';
import sensitivePath from './sensitive-host-path-mount/rule.js';
import literalEnv from './secret-literal-env/rule.js';
import secretEnv from './secret-in-env-var/rule.js';

const cpu = (f: Finding) => /CPU request/.test(f.message);
const memory = (f: Finding) => /memory request/.test(f.message);
const envFrom = (f: Finding) => /envFrom/.test(f.message);
const LIMIT_IMPLIES_REQUEST =
  'a container with a limit and no request gets the limit as its request (the API server defaults it), so kubeguard ' +
  'does not report a missing request there; Kubescape reads the manifest literally';
/** Kubescape's imageDigestExemptRepositories configuration maps to our exemptRepositories option. */
const digestOptions = (data: unknown): Record<string, unknown> | undefined => {
  const repos = (data as { postureControlInputs?: { imageDigestExemptRepositories?: string[] } })?.postureControlInputs?.imageDigestExemptRepositories;
  return repos ? { exemptRepositories: repos } : undefined;
};

interface Suite {
  label: string;
  run: () => Comparison[];
  /** Deliberate differences: case id → why. */
  expectedDifferences?: Record<string, string>;
}

const SUITES: Suite[] = [
  { label: 'polaris notReadOnlyRootFilesystem', run: () => comparePolaris('notReadOnlyRootFilesystem', [{ rule: readOnlyRootFilesystem }]) },
  { label: 'polaris cpuLimitsMissing', run: () => comparePolaris('cpuLimitsMissing', [{ rule: cpuLimit }]) },
  { label: 'polaris memoryLimitsMissing', run: () => comparePolaris('memoryLimitsMissing', [{ rule: memoryLimit }]) },
  { label: 'polaris cpuRequestsMissing', run: () => comparePolaris('cpuRequestsMissing', [{ rule: requests, filter: cpu }]) },
  { label: 'polaris memoryRequestsMissing', run: () => comparePolaris('memoryRequestsMissing', [{ rule: requests, filter: memory }]) },
  { label: 'polaris livenessProbeMissing', run: () => comparePolaris('livenessProbeMissing', [{ rule: liveness }]) },
  { label: 'polaris readinessProbeMissing', run: () => comparePolaris('readinessProbeMissing', [{ rule: readiness }]) },
  { label: 'polaris tagNotSpecified', run: () => comparePolaris('tagNotSpecified', [{ rule: tagLatest }]) },
  { label: 'polaris automountServiceAccountToken', run: () => comparePolaris('automountServiceAccountToken', [{ rule: automount }]) },
  { label: 'polaris hostPathSet', run: () => comparePolaris('hostPathSet', [{ rule: sensitivePath }, { rule: socket }]) },
  { label: 'polaris sensitiveContainerEnvVar', run: () => comparePolaris('sensitiveContainerEnvVar', [{ rule: literalEnv }]) },
  {
    label: 'kyverno disallow-cri-sock-mount',
    run: () => compareKyverno('best-practices/disallow-cri-sock-mount', ['validate-docker-sock-mount', 'validate-containerd-sock-mount', 'validate-crio-sock-mount', 'validate-dockerd-sock-mount'], [{ rule: socket }]),
  },
  { label: 'kyverno disallow-default-namespace', run: () => compareKyverno('best-practices/disallow-default-namespace', ['validate-namespace', 'validate-podcontroller-namespace'], [{ rule: defaultNamespace }]) },
  { label: 'kyverno disallow-latest-tag', run: () => compareKyverno('best-practices/disallow-latest-tag', ['require-image-tag', 'validate-image-tag'], [{ rule: tagLatest }]) },
  { label: 'kyverno require-drop-cap-net-raw', run: () => compareKyverno('best-practices/require-drop-cap-net-raw', ['require-drop-cap-net-raw'], [{ rule: netRaw }]) },
  {
    label: 'kyverno require-pod-requests-limits',
    run: () => compareKyverno('best-practices/require-pod-requests-limits', ['validate-resources'], [{ rule: requests }, { rule: memoryLimit }]),
  },
  {
    label: 'kyverno require-probes',
    // Kyverno passes a container with any one of liveness/readiness/startup probes; compared here as "fails only
    // when both our liveness and readiness rules report".
    run: () => compareKyverno('best-practices/require-probes', ['validate-probes'], [{ rule: liveness }, { rule: readiness }], 'all'),
    expectedDifferences: {
      'kyverno/best-practices/require-probes#Pod/goodpod04':
        'only a startupProbe: it gates start-up and is never run again, so a later hang or overload goes unnoticed; ' +
        'kubeguard still asks for liveness and readiness probes',
    },
  },
  { label: 'kyverno require-ro-rootfs', run: () => compareKyverno('best-practices/require-ro-rootfs', ['validate-readOnlyRootFilesystem'], [{ rule: readOnlyRootFilesystem }]) },
  {
    label: 'kyverno restrict-image-registries',
    run: () => compareKyverno('best-practices/restrict-image-registries', ['validate-registries'], [{ rule: registry, options: { allowedRegistries: ['eu.foo.io/*', 'bar.io/*'] } }]),
  },
  { label: 'kyverno restrict-automount-sa-token', run: () => compareKyverno('other/restrict-automount-sa-token', ['validate-automountServiceAccountToken'], [{ rule: automount }]) },
  { label: 'kyverno require-image-checksum', run: () => compareKyverno('other/require-image-checksum', ['require-image-checksum'], [{ rule: digest }]) },
  { label: 'kyverno require-cpu-limits', run: () => compareKyverno('other/require-cpu-limits', ['check-cpu-limits'], [{ rule: cpuLimit }]) },
  {
    label: 'kyverno disallow-secrets-from-env-vars',
    run: () => compareKyverno('other/disallow-secrets-from-env-vars', ['secrets-not-from-env-vars', 'secrets-not-from-envfrom'], [{ rule: secretEnv }]),
  },
  { label: 'kyverno disallow-all-secrets (env, envFrom)', run: () => compareKyverno('other/disallow-all-secrets', ['secrets-not-from-env', 'secrets-not-from-envfrom'], [{ rule: secretEnv }]) },
  { label: 'kubescape immutable-container-filesystem', run: () => compareKubescape('immutable-container-filesystem', [{ rule: readOnlyRootFilesystem }]) },
  { label: 'kubescape drop-capability-netraw', run: () => compareKubescape('drop-capability-netraw', [{ rule: netRaw }]) },
  { label: 'kubescape containers-mounting-docker-socket', run: () => compareKubescape('containers-mounting-docker-socket', [{ rule: socket }]) },
  { label: 'kubescape image-not-pinned-to-digest', run: () => compareKubescape('image-not-pinned-to-digest', [{ rule: digest }], digestOptions) },
  { label: 'kubescape pods-in-default-namespace', run: () => compareKubescape('pods-in-default-namespace', [{ rule: defaultNamespace }]) },
  { label: 'kubescape resources-memory-limits', run: () => compareKubescape('resources-memory-limits', [{ rule: memoryLimit }]) },
  { label: 'kubescape resources-cpu-limits', run: () => compareKubescape('resources-cpu-limits', [{ rule: cpuLimit }]) },
  {
    label: 'kubescape resources-cpu-requests',
    run: () => compareKubescape('resources-cpu-requests', [{ rule: requests, filter: cpu }]),
    expectedDifferences: { 'kubescape/resources-cpu-requests/pod-only-requests': LIMIT_IMPLIES_REQUEST },
  },
  {
    label: 'kubescape resources-memory-requests',
    run: () => compareKubescape('resources-memory-requests', [{ rule: requests, filter: memory }]),
    expectedDifferences: { 'kubescape/resources-memory-requests/pod-only-requests': LIMIT_IMPLIES_REQUEST },
  },
  { label: 'kubescape automount-service-account', run: () => compareKubescape('automount-service-account', [{ rule: automount }]) },
  { label: 'kubescape configured-liveness-probe', run: () => compareKubescape('configured-liveness-probe', [{ rule: liveness }]) },
  { label: 'kubescape configured-readiness-probe', run: () => compareKubescape('configured-readiness-probe', [{ rule: readiness }]) },
  {
    label: 'kubescape rule-credentials-in-env-var',
    // Kubescape's rule covers literal credentials and envFrom secretRef; kubeguard splits them into
    // secret-literal-env and (info) secret-in-env-var, so both are consulted here.
    run: () => compareKubescape('rule-credentials-in-env-var', [{ rule: literalEnv }, { rule: secretEnv, filter: envFrom }]),
    expectedDifferences: {
      'kubescape/rule-credentials-in-env-var/pod':
        'Kubescape also matches its sensitive *name* list inside values: "some-name: my_key_value" is flagged for the word ' +
        '"key"; kubeguard judges names by name patterns and values by key formats and entropy',
      'kubescape/rule-credentials-in-env-var/deployment': 'same as above: the value "JWT" is a word, not a token',
    },
  },
];

describe('workload rules vs upstream Polaris, Kyverno and Kubescape fixtures', () => {
  for (const suite of SUITES) {
    it(suite.label, (t) => {
      const cases = suite.run();
      assert.ok(cases.length > 0, 'no upstream cases found');
      t.diagnostic(agreementLine(suite.label, cases));
      const explained = Object.keys(suite.expectedDifferences ?? {});
      const diff = disagreements(cases);
      const explain = (id: string) => {
        const c = cases.find((x) => x.id === id);
        return `${id}: upstream ${c?.expected}, kubeguard ${c?.actual} (${c?.detail ?? ''})`;
      };
      assert.deepEqual(diff.filter((id) => !explained.includes(id)).map(explain), [], 'unexplained disagreements');
      assert.deepEqual(explained.filter((id) => !diff.includes(id)), [], 'listed differences that now agree');
    });
  }
});
