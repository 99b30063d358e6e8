/**
 * Issue 14, case 20: 30 concurrent reviews of 1.2 MB with 10,000 containers each, beside benign ones. The budget is
 * enforced before the work: the large ones are refused at once by the failure mode (counted), the benign ones are
 * judged — an allowed benign pod proves it was judged within its budget, since past it the failure mode (deny)
 * would have answered. No log line grows with the request.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/model.js';
import { admissionReview, asReply, startTestWebhook } from '../admission/test-support/harness.js';
import type { TestWebhook } from '../admission/test-support/harness.js';
import { hardenedPod, pod } from '../admission/test-support/objects.js';
import { BudgetGuard } from '../admission/budget.js';

function hugePod(n: number): KubeObject {
  const containers = Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: `registry.example.com/app:${i}`, ports: [{ containerPort: 8080 }], env: [{ name: 'A', value: 'b' }] }));
  return pod({ containers }, `huge`, 'shop');
}

describe('case 20: webhook budget', () => {
  let hook: TestWebhook;
  before(async () => {
    hook = await startTestWebhook();
  });
  after(() => hook.close());

  it('case 20: large reviews are refused before the work and counted; benign ones beside them are judged; log lines stay bounded', async () => {
    const huge = JSON.stringify(admissionReview(hugePod(10_000)));
    assert.ok(huge.length > 1_000_000);
    const heavy = Array.from({ length: 30 }, () => hook.post('/validate', huge));
    const benign = Array.from({ length: 5 }, (_, i) => hook.post('/validate', admissionReview(hardenedPod(`web-${i}`))));
    const heavyReplies = (await Promise.all(heavy)).map((r) => asReply(r).response);
    const benignReplies = (await Promise.all(benign)).map((r) => asReply(r).response);
    for (const r of heavyReplies) {
      assert.equal(r.allowed, false);
      assert.match(r.status?.message ?? '', /overloaded: judging it would take about \d+ ms, more than the \d+ ms left of its 3000 ms budget/);
    }
    for (const r of benignReplies) assert.equal(r.allowed, true, JSON.stringify(r));
    const metrics = (await hook.get('/metrics')).text;
    assert.match(metrics, /kubeguard_admission_over_budget_total\{endpoint="validate",cause="estimate"\} 30/);
    for (const line of hook.logs) assert.ok(JSON.stringify(line).length < 8 * 1024, `log line of ${JSON.stringify(line).length} characters`);
  });

  it('case 20: heavy requests that each fit their budget may take half of it, then wait their turn (failure mode)', () => {
    const guard = new BudgetGuard({ msPerUnit: 1 });
    const budget = 3000;
    const admitted = [0, 1, 2, 3, 4].map((i) => guard.admit(400, 3000, budget, 1000 + i).ok);
    assert.deepEqual(admitted, [true, true, true, false, false], '3 × 400 ms ≤ 1500 ms, the fourth would pass half the budget');
    assert.equal(guard.admit(10, 3000, budget, 1005).ok, true, 'a small request is never held back by the share');
    assert.equal(guard.admit(400, 3000, budget, 1000 + budget + 10).ok, true, 'the share is per budget window');
    assert.equal(guard.admit(3500, 3000, budget, 9000).ok, false, 'over its own budget');
  });
});
