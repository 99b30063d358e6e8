import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gradesOf } from '../../test-support/rule-tester.js';
import rule from './rule.js';


it('grades by reach: every Secret of the cluster high, of a namespace medium, named Secrets low', () => {
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-secret-reader.yaml'), ['high ClusterRole "secret-reader" grants get/list/watch on every Secret (of every namespace where it is bound)']);
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-namespace-reader.yaml'), ['medium Role "reads-namespace-secrets" grants "*" (every verb) on every Secret of its namespace']);
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-named-secrets.yaml'), ['low Role "reads-its-own-secret" grants get/watch on the Secrets app-tls']);
});
