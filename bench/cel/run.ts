/**
 * CEL policies at scale (issue 21): 50 ValidatingAdmissionPolicies × 10,000 objects through scan(), and the same
 * 50 checks written as built-in rules (plain TypeScript) through scan() in the same run. Prints objects/s for
 * both, the ratio, compile work (programs are compiled once per expression and cached), and checks that both
 * give the same findings.
 *   node --import tsx bench/cel/run.ts [objects] [policies]
 */
import type { KubeObject, Resource } from '../../src/core/model.js';
import { defineRule } from '../../src/core/rule.js';
import { refOf } from '../../src/core/ref.js';
import { scan } from '../../src/engine/scan.js';
import type { ResolvedRule } from '../../src/engine/resolve-rules.js';
import { vapRules } from '../../src/engine/vap-rules.js';
import { kubernetesEnv } from '../../src/analysis/cel/env.js';
import { rng } from '../support/rng.js';

const [objectCount, policyCount] = [10_000, 50].map((d, i) => Number(process.argv[2 + i] ?? d));
const rand = rng(21);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

// ---- objects: Deployments with 1-3 containers and varied settings
const REGISTRIES = ['registry.example.com', 'docker.io', 'ghcr.io', 'quay.io', 'gcr.io'];
function deployment(i: number): KubeObject {
  const containers = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, c) => ({
    name: `c${c}`,
    image: `${pick(REGISTRIES)}/team/app-${c}:${pick(['1.2.3', 'latest', '2.0'])}`,
    ...(rand() < 0.7 ? { resources: { limits: { cpu: pick(['250m', '1', '2']), memory: pick(['128Mi', '1Gi', '4Gi']) } } } : {}),
    securityContext: { runAsNonRoot: rand() < 0.6, allowPrivilegeEscalation: rand() < 0.3, privileged: rand() < 0.05, readOnlyRootFilesystem: rand() < 0.5 },
    ...(rand() < 0.5 ? { ports: [{ containerPort: 8000 + c }] } : {}),
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: `ns-${i % 40}`, labels: { app: `app-${i}`, ...(rand() < 0.8 ? { team: pick(['a', 'b', 'c']) } : {}), ...(rand() < 0.5 ? { env: pick(['dev', 'prod']) } : {}) } },
    spec: {
      replicas: Math.floor(rand() * 12),
      selector: { matchLabels: { app: `app-${i}` } },
      template: { metadata: { labels: { app: `app-${i}` } }, spec: { hostNetwork: rand() < 0.05, ...(rand() < 0.1 ? { volumes: [{ name: 'h', hostPath: { path: '/var' } }] } : {}), containers } },
    },
  };
}
const objects: Resource[] = Array.from({ length: objectCount }, (_, i) => {
  const o = deployment(i);
  return { ref: refOf(o), object: o };
});

// ---- 10 check templates × 5 parameters = 50 policies, each as CEL and as TypeScript
type Container = { image: string; resources?: { limits?: Record<string, string> }; securityContext?: Record<string, unknown>; ports?: unknown[] };
type Dep = { metadata: { labels: Record<string, string> }; spec: { replicas: number; template: { spec: { hostNetwork?: boolean; volumes?: Array<{ hostPath?: unknown }>; containers: Container[] } } } };
interface Check {
  name: string;
  cel: string;
  ts: (d: Dep) => boolean;
}
const CONTAINERS = 'object.spec.template.spec.containers';
const TEMPLATES: Array<(k: number) => Check> = [
  (k) => ({ name: `replicas-max-${k}`, cel: `object.spec.replicas <= ${k + 6}`, ts: (d) => d.spec.replicas <= k + 6 }),
  (k) => ({ name: `registry-${k}`, cel: `${CONTAINERS}.all(c, !c.image.startsWith('${REGISTRIES[k]}/'))`, ts: (d) => d.spec.template.spec.containers.every((c) => !c.image.startsWith(`${REGISTRIES[k]}/`)) }),
  (k) => ({ name: `label-${k}`, cel: `has(object.metadata.labels) && '${['team', 'env', 'app', 'owner', 'tier'][k]}' in object.metadata.labels`, ts: (d) => ['team', 'env', 'app', 'owner', 'tier'][k] in d.metadata.labels }),
  (k) => ({ name: `non-root-${k}`, cel: `${CONTAINERS}.all(c, has(c.securityContext) && has(c.securityContext.runAsNonRoot) && c.securityContext.runAsNonRoot) || object.spec.replicas < ${k}`, ts: (d) => d.spec.template.spec.containers.every((c) => c.securityContext?.runAsNonRoot === true) || d.spec.replicas < k }),
  (k) => ({ name: `no-escalation-${k}`, cel: `${CONTAINERS}.all(c, !has(c.securityContext.allowPrivilegeEscalation) || !c.securityContext.allowPrivilegeEscalation) || size(${CONTAINERS}) > ${k + 1}`, ts: (d) => d.spec.template.spec.containers.every((c) => !c.securityContext?.allowPrivilegeEscalation) || d.spec.template.spec.containers.length > k + 1 }),
  (k) => ({ name: `limits-${k}`, cel: `${CONTAINERS}.all(c, has(c.resources) && has(c.resources.limits) && has(c.resources.limits.memory) && quantity(c.resources.limits.memory).compareTo(quantity('${['256Mi', '1Gi', '2Gi', '3Gi', '8Gi'][k]}')) <= 0)`, ts: (d) => d.spec.template.spec.containers.every((c) => c.resources?.limits?.memory !== undefined && bytes(c.resources.limits.memory) <= bytes(['256Mi', '1Gi', '2Gi', '3Gi', '8Gi'][k])) }),
  (k) => ({ name: `tag-${k}`, cel: `${CONTAINERS}.all(c, !c.image.endsWith(':${['latest', '2.0', '1.2.3', 'dev', 'main'][k]}'))`, ts: (d) => d.spec.template.spec.containers.every((c) => !c.image.endsWith(`:${['latest', '2.0', '1.2.3', 'dev', 'main'][k]}`)) }),
  (k) => ({ name: `host-${k}`, cel: `!(has(object.spec.template.spec.hostNetwork) && object.spec.template.spec.hostNetwork) && (!has(object.spec.template.spec.volumes) || object.spec.template.spec.volumes.all(v, !has(v.hostPath))) || object.metadata.labels.app == 'app-${k}'`, ts: (d) => (!d.spec.template.spec.hostNetwork && (d.spec.template.spec.volumes ?? []).every((v) => v.hostPath === undefined)) || d.metadata.labels.app === `app-${k}` }),
  (k) => ({ name: `ports-${k}`, cel: `${CONTAINERS}.all(c, !has(c.ports) || c.ports.all(p, p.containerPort < ${8000 + k}))`, ts: (d) => d.spec.template.spec.containers.every((c) => (c.ports ?? []).every((p) => (p as { containerPort: number }).containerPort < 8000 + k)) }),
  (k) => ({ name: `image-regex-${k}`, cel: `${CONTAINERS}.all(c, c.image.matches('^[a-z0-9.]+/team/app-[0-${k}]:'))`, ts: (d) => d.spec.template.spec.containers.every((c) => new RegExp(`^[a-z0-9.]+/team/app-[0-${k}]:`).test(c.image)) }),
];
function bytes(q: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(q)!;
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 ** 3 : 1024 ** 2);
}
const checks: Check[] = Array.from({ length: policyCount }, (_, i) => TEMPLATES[i % TEMPLATES.length](Math.floor(i / TEMPLATES.length) % 5));

const policies: Resource[] = checks.map((c) => {
  const o: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: c.name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
      validations: [{ expression: c.cel, message: `${c.name} violated` }],
    },
  };
  return { ref: refOf(o), object: o };
});
const builtins: ResolvedRule[] = checks.map((c) => ({
  severity: 'high',
  options: {},
  rule: defineRule({
    id: `ts:${c.name}`,
    title: c.name,
    description: c.name,
    category: 'policy',
    severity: 'high',
    kinds: ['Deployment'],
    messages: { v: `${c.name} violated` },
    remediation: '',
    check(ctx, r) {
      if (!c.ts(r.object as unknown as Dep)) ctx.report({ messageId: 'v', path: '' });
    },
  }),
}));

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}
const now = new Date('2026-01-01T00:00:00Z');
const env = kubernetesEnv();
const compile = time(() => {
  for (const c of checks) env.compile(c.cel);
});
const vap = vapRules(objects, policies);
// warm up both on a slice, then measure the whole set (best of 3)
scan(objects.slice(0, 500), { rules: vap.rules, now });
scan(objects.slice(0, 500), { rules: builtins, now });
const best = (fn: () => number): { ms: number; findings: number } => {
  let out = { ms: Infinity, findings: 0 };
  for (let i = 0; i < 3; i++) {
    const t = time(fn);
    if (t.ms < out.ms) out = { ms: t.ms, findings: t.value };
  }
  return out;
};
const celRun = best(() => scan(objects, { rules: vap.rules, now }).findings.length);
const tsRun = best(() => scan(objects, { rules: builtins, now }).findings.length);
const rate = (ms: number) => Math.round((objectCount / ms) * 1000);
console.log(`${policyCount} policies × ${objectCount} objects (Deployments with 1-3 containers)`);
console.log(`compile 50 expressions once:  ${compile.ms.toFixed(1)} ms (cached by expression text; scan compiles nothing)`);
console.log(`CEL policies (vap:* rules):   ${celRun.ms.toFixed(0)} ms, ${rate(celRun.ms).toLocaleString('en')} objects/s, ${celRun.findings} findings`);
console.log(`same checks as built-in rules: ${tsRun.ms.toFixed(0)} ms, ${rate(tsRun.ms).toLocaleString('en')} objects/s, ${tsRun.findings} findings`);
console.log(`ratio CEL / built-in: ${(celRun.ms / tsRun.ms).toFixed(2)}× the time (${((policyCount * objectCount) / celRun.ms / 1000).toFixed(2)} M policy evaluations/s)`);
if (celRun.findings !== tsRun.findings) {
  console.error(`MISMATCH: CEL gave ${celRun.findings} findings, built-in rules ${tsRun.findings}`);
  process.exit(1);
}
