import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMap } from '../../core/bounded-map.js';
import { DistinctCounter } from './state.js';
import { IncidentBook } from './incidents.js';

describe('BoundedMap', () => {
  it('evicts the least recently used key and counts it; get refreshes, peek does not', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    assert.equal(m.get('a'), 1); // a is now the most recent
    m.set('c', 3); // evicts b
    assert.equal(m.peek('b'), undefined);
    assert.deepEqual([...m.entries()], [['a', 1], ['c', 3]]);
    assert.equal(m.evicted, 1);
    assert.equal(m.peek('a'), 1); // no refresh: a stays the oldest
    m.set('d', 4);
    assert.deepEqual([...m.entries()], [['c', 3], ['d', 4]]);
    assert.equal(m.evicted, 2);
    m.set('d', 5); // overwriting is not an eviction
    m.delete('c');
    assert.equal(m.evicted, 2);
    assert.equal(m.size, 1);
  });

  it('stays bounded under churn far past its capacity', () => {
    const m = new BoundedMap<number, number>(1000);
    for (let i = 0; i < 200_000; i++) {
      m.set(i, i);
      m.get(i - 500);
    }
    assert.equal(m.size, 1000);
    assert.equal(m.evicted, 199_000);
  });

  it('refuses a capacity that is not positive', () => {
    assert.throws(() => new BoundedMap(0), RangeError);
  });
});

describe('DistinctCounter', () => {
  it('answers true once, when the threshold of distinct values is reached within the window', () => {
    const c = new DistinctCounter(1000, 3, 10);
    assert.equal(c.add('k', 1, 0), false);
    assert.equal(c.add('k', 1, 10), false); // not distinct
    assert.equal(c.add('k', 2, 20), false);
    assert.equal(c.add('k', 3, 30), true);
    assert.equal(c.add('k', 4, 40), false); // fired once in this window
    assert.deepEqual(c.values('k'), [1, 2, 3]);
    // a new window opens after windowMs
    assert.equal(c.add('k', 5, 2000), false);
    assert.deepEqual(c.values('k'), [5]);
  });
});

describe('IncidentBook.closeIdle', () => {
  const limits = { open: 100, gapMs: 1000, list: 10, evidence: 4 };
  const detection = (key: string, ts: number) => ({ ruleId: 'r', severity: 'high' as const, message: 'm', workload: { namespace: 'ns', pod: `p-${key}` }, key, evidence: [], ts, time: new Date(ts).toISOString() });

  it('closes the incidents idle past the gap and keeps the active ones', () => {
    const closed: string[] = [];
    const book = new IncidentBook(limits, (i) => closed.push(i.workload.pod ?? ''));
    book.add(detection('a', 0));
    book.add(detection('b', 500));
    book.add(detection('c', 1800));
    book.closeIdle(1600); // a idle for 1600 ms, b for 1100 ms, c active
    assert.deepEqual(closed.sort(), ['p-a', 'p-b']);
    assert.equal(book.openCount, 1);
    book.closeAll();
    assert.deepEqual(closed.sort(), ['p-a', 'p-b', 'p-c']);
  });
});
