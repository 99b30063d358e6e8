import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gradesOf } from '../../test-support/rule-tester.js';
import rule from './rule.js';


it('grades by what the wildcard reaches', () => {
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-wildcards.yaml'), [
    'high ClusterRole "everything" grants every verb on every resource of every API group: it is equivalent to cluster-admin',
    'medium Role "all-verbs-on-pods" grants "*" (every verb) on pods of API group core through "*" in verbs',
  ]);
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-scoped-wildcards.yaml'), [
    'low ClusterRole "resource-metrics-server-resources" grants "*" (every verb) on every resource of API group metrics.k8s.io through "*" in verbs, resources',
    'low ClusterRole "operator-crds" grants "*" (every verb) on prometheuses, alertmanagers of API group monitoring.coreos.com through "*" in verbs',
    'low ClusterRole "read-apps" grants get/list on every resource of API group apps through "*" in resources',
  ]);
});
