import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gradesOf } from '../../test-support/rule-tester.js';
import rule from './rule.js';


it('get alone (pre-1.30 websocket exec) is medium; one finding names every subresource', () => {
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-get-only.yaml'), ['medium Role "exec-get-only" grants get on pods/exec, pods/attach']);
});
