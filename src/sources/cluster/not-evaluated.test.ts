import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../engine/catalog.js';
import { CROSS_OBJECT_READS, notEvaluatedFromFailures } from './not-evaluated.js';
import type { KindFailure } from './collect.js';

describe('notEvaluatedFromFailures', () => {
  const rules = [
    { id: 'pod-rule', kinds: 'pod-bearing' as const },
    { id: 'sa-rule', kinds: ['ServiceAccount'] },
    { id: 'service-account-token-automounted', kinds: 'pod-bearing' as const },
  ];

  it('marks every rule needing the kind, in the scope that was missing', () => {
    const failures: KindFailure[] = [
      { kind: 'ServiceAccount', resource: 'serviceaccounts', namespace: 'shop', status: 403, reason: 'cannot list serviceaccounts in namespace shop: 403 Forbidden' },
      { kind: 'CronJob', resource: 'cronjobs', reason: 'cannot list cronjobs: 500' },
    ];
    const out = notEvaluatedFromFailures(failures, rules);
    assert.deepEqual(
      out.map((n) => [n.ruleId ?? '-', n.scope]),
      [
        ['-', 'namespace:shop'],
        ['sa-rule', 'namespace:shop'],
        ['service-account-token-automounted', 'namespace:shop'], // reads ServiceAccounts through the index
        ['-', 'cluster'],
        ['pod-rule', 'cluster'], // CronJob carries a pod template
        ['service-account-token-automounted', 'cluster'],
      ],
    );
  });

  it('says nothing when nothing failed', () => {
    assert.deepEqual(notEvaluatedFromFailures([], rules), []);
  });

  it('names only rules that exist', () => {
    for (const id of Object.keys(CROSS_OBJECT_READS)) assert.ok(RULES.some((r) => r.id === id), `unknown rule ${id} in CROSS_OBJECT_READS`);
  });
});
