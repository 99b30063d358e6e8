import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gradesOf } from '../../test-support/rule-tester.js';
import rule from './rule.js';


it('grades by content: credentials high (by key, type, format, or a config assigning one), configuration low', () => {
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-data.yaml'), ['high Secret "api-db" commits credentials in data (password)']);
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-configuration-only.yaml'), [
    'low Secret "grafana-config" commits 1 value(s) in stringData (grafana.ini) that hold no credential: configuration',
    'low Secret "alertmanager-main" commits 1 value(s) in data (alertmanager.yaml) that hold no credential: configuration',
  ]);
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-credential-in-config.yaml'), [
    'high Secret "alertmanager-slack" commits credentials in stringData (alertmanager.yaml)',
    'high Secret "web-tls" commits credentials in data (tls.key)',
  ]);
});
