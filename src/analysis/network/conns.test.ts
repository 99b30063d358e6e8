import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnSet, ConnTable } from './conns.js';

describe('ConnSet', () => {
  it('unions merge adjacent and overlapping ranges', () => {
    const s = ConnSet.port('TCP', 80).union(ConnSet.port('TCP', 81, 90)).union(ConnSet.port('UDP', 53));
    assert.equal(s.toString(), 'TCP 80-90,UDP 53');
    assert.equal(s.has('TCP', 85), true);
    assert.equal(s.has('TCP', 91), false);
    assert.equal(s.has('SCTP', 80), false);
  });

  it('intersects and subtracts', () => {
    const a = ConnSet.port('TCP', 1000, 2000);
    const b = ConnSet.port('TCP', 1500, 3000).union(ConnSet.port('UDP', 1));
    assert.equal(a.intersect(b).toString(), 'TCP 1500-2000');
    assert.equal(a.subtract(b).toString(), 'TCP 1000-1499');
    assert.equal(ConnSet.ALL.intersect(b).equals(b), true);
    assert.equal(ConnSet.ALL.subtract(ConnSet.ALL).isEmpty(), true);
  });

  it('parses the np-guard connlist forms', () => {
    assert.equal(ConnSet.parse('All Connections').isAll(), true);
    assert.equal(ConnSet.parse('TCP 10053-10054,UDP 10053').toString(), 'TCP 10053-10054,UDP 10053');
    assert.equal(ConnSet.parse('SCTP 7070,TCP 8080-8081,UDP 9090').has('SCTP', 7070), true);
    assert.equal(ConnSet.parse('TCP 8099,9001-9090').has('TCP', 9001), true);
  });

  it('interns sets in a table', () => {
    const t = new ConnTable();
    const a = t.id(ConnSet.port('TCP', 80));
    const b = t.id(ConnSet.port('TCP', 80));
    assert.equal(a, b);
    const u = t.union(a, t.id(ConnSet.port('UDP', 53)));
    assert.equal(t.get(u).toString(), 'TCP 80,UDP 53');
    assert.equal(t.intersect(u, a), a);
    assert.equal(t.union(a, ConnTable.ALL), ConnTable.ALL);
  });
});
