/**
 * The product's core promise: for the same object and the same config, `kubeguard scan` and the webhook decide
 * the same. Corpus: every rule fixture and every example manifest. Scan side: the engine exactly as the scan
 * command calls it. Webhook side: a real HTTPS AdmissionReview round trip. A denial must happen exactly when
 * scan reports findings that are enforced (at or above failOn, or of a rule whose configured mode is enforce —
 * the image policy of the admission section is such a setting), and every finding must appear in the reply
 * (denial message or warning) with its rule and JSON pointer.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, KubeObject, Resource } from '../core/model.js';
import type { KubeguardConfig } from '../engine/config.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { scan } from '../engine/scan.js';
import { atOrAbove } from '../core/outcome.js';
import { isClusterScoped, refOf } from '../core/ref.js';
import { loadPaths } from '../sources/files/load.js';
import { corpusFiles, ruleCatalog } from './test-support/catalog.js';
import { admissionReview, asReply, startTestWebhook } from './test-support/harness.js';
import type { TestWebhook } from './test-support/harness.js';
import { MAX_WARNINGS, MAX_WARNING_CHARS, describeViolation } from './respond.js';

/** The object as the API server hands it to admission: namespaced kinds carry their namespace. */
function asAdmitted(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  if (!isClusterScoped(copy.kind ?? '') && !copy.metadata?.namespace) copy.metadata = { ...(copy.metadata ?? {}), namespace: 'default' };
  return copy;
}

function corpus(): KubeObject[] {
  const loaded = loadPaths(corpusFiles());
  return loaded.resources
    .map((r: Resource) => r.object)
    .filter((o) => typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.kind !== 'Dockerfile' && o.metadata?.name)
    .map(asAdmitted);
}

const configs: { name: string; config: KubeguardConfig }[] = [
  { name: 'no config (recommended, failOn high)', config: {} },
  {
    name: 'failOn medium, strict preset, an exception and an expired one',
    config: {
      preset: 'strict',
      failOn: 'medium',
      exceptions: [
        { rules: ['pss-run-as-non-root'], namespaces: ['*'], reason: 'legacy images', expires: '2999-01-01' },
        { rules: ['pss-privileged'], reason: 'expired', expires: '2020-01-01' },
      ],
    },
  },
  {
    name: 'image policy in the admission section (registry allowlist, digest pinning) decided by the rules',
    config: { admission: { images: { allowedRegistries: ['registry.example.com', 'docker.io/library'], requireDigest: true } } },
  },
];

for (const { name, config } of configs) {
  describe(`scan and the webhook decide the same — ${name}`, () => {
    let hook: TestWebhook;
    before(async () => {
      hook = await startTestWebhook(config);
    });
    after(() => hook.close());

    test('over every fixture and example', async () => {
      const objects = corpus();
      assert.ok(objects.length >= 40, `corpus has ${objects.length} objects`);
      // the webhook judges one object at a time, so rules that need the whole set are out on both sides
      const rules = resolveRules(await ruleCatalog(), { preset: 'recommended', failOn: 'high', ...config }).filter((r) => !r.rule.needsFullView);
      const failOn = config.failOn ?? 'high';
      const modes = new Map(rules.filter((r) => r.mode).map((r) => [r.rule.id, r.mode]));
      let denied = 0;
      let allowed = 0;
      for (const object of objects) {
        const report = scan([{ ref: refOf(object), object, source: { file: 'corpus' } }], { rules, exceptions: config.exceptions, now: new Date() });
        // enforced: a rule's configured mode, else its severity at or above failOn (admission/policy.ts)
        const enforced = (f: Finding) => (modes.get(f.ruleId) ?? (atOrAbove([f], failOn).length > 0 ? 'enforce' : 'warn')) === 'enforce';
        const blocking = report.findings.filter(enforced);
        const reply = asReply(await hook.post('/validate', admissionReview(object)));
        const label = `${object.kind}/${object.metadata?.name}`;
        // A crashed rule makes scan incomplete (exit 3) and the webhook apply its failure mode (deny by default).
        const scanPasses = blocking.length === 0 && report.errors.length === 0;
        assert.equal(reply.response.allowed, scanPasses, `${label}: scan blocking ${blocking.map((f) => f.ruleId).join(',')} errors ${report.errors.map((e) => e.message).join(',')}; reply ${JSON.stringify(reply.response)}`);
        if (reply.response.allowed) allowed++;
        else denied++;
        const asText = (f: Finding) => describeViolation({ ruleId: f.ruleId, mode: 'warn', path: f.path, message: f.message });
        for (const f of blocking) assert.ok(reply.response.status?.message.includes(asText(f)), `${label}: ${asText(f)} missing from ${reply.response.status?.message}`);
        const warned = report.findings.filter((f) => !blocking.includes(f));
        const warnings = reply.response.warnings ?? [];
        if (warned.length < MAX_WARNINGS) {
          for (const f of warned) assert.ok(warnings.some((w) => w === asText(f) || (w.length === MAX_WARNING_CHARS && asText(f).startsWith(w.slice(0, -1)))), `${label}: warning ${asText(f)} missing`);
          assert.equal(warnings.filter((w) => w.startsWith('[')).length, warned.length, `${label}: no extra rule warnings`);
        }
      }
      assert.ok(denied > 0 && allowed > 0, `the corpus exercises both decisions (denied ${denied}, allowed ${allowed})`);
    });
  });
}
