import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoize } from './bounded-map.js';

describe('memoize', () => {
  it('computes once per argument while remembered, null results included, and forgets the least recently used', () => {
    const calls: string[] = [];
    const parse = memoize((v: string) => {
      calls.push(v);
      return v === 'bad' ? null : v.length;
    }, 2);
    assert.equal(parse('ab'), 2);
    assert.equal(parse('bad'), null);
    assert.equal(parse('ab'), 2);
    assert.equal(parse('bad'), null);
    assert.deepEqual(calls, ['ab', 'bad']);
    parse('xyz'); // evicts 'ab' (least recently used)
    parse('bad');
    parse('ab');
    assert.deepEqual(calls, ['ab', 'bad', 'xyz', 'ab']);
  });
});
