import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMap, memoize } from './bounded-map.js';

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

describe('BoundedMap', () => {
  it('keeps least-recently-used order and eviction as it grows its room to the capacity', () => {
    const m = new BoundedMap<number, string>(3000);
    const model: number[] = []; // keys, least recently used first
    const touch = (k: number) => {
      const i = model.indexOf(k);
      if (i !== -1) model.splice(i, 1);
      model.push(k);
    };
    for (let k = 0; k < 5000; k++) {
      m.set(k, `v${k}`);
      touch(k);
      if (model.length > 3000) model.shift();
      // refresh some older keys across the growth steps (256, 1024, 3000)
      if (k % 7 === 0 && m.get(k - 100) !== undefined) touch(k - 100);
      if (k === 200 || k === 1000 || k === 2999) assert.deepEqual([...m.entries()].map(([key]) => key), model, `at ${k}`);
    }
    assert.equal(m.size, 3000);
    assert.equal(m.evicted, 2000);
    assert.deepEqual([...m.entries()].map(([key]) => key), model);
    assert.equal(m.get(model[0]), `v${model[0]}`);
    m.set(model[0], 'again'); // a key already held, at full room: replaced, nothing evicted
    assert.equal(m.evicted, 2000);
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Infinity, NaN]) assert.throws(() => new BoundedMap(bad), RangeError);
  });
});
