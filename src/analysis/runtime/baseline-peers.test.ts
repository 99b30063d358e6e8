/** Baseline network entries as the learner writes them (`peer:port/PROTO`), read back for the network view. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePeerEntry } from './baseline.js';

it('reads workload peers, addresses, ranges, names and wildcards', () => {
  assert.deepEqual(parsePeerEntry('shop/api:9000/TCP'), { workload: { namespace: 'shop', name: 'api' }, port: '9000', protocol: 'TCP' });
  assert.deepEqual(parsePeerEntry('api.stripe.com:443/TCP'), { other: 'api.stripe.com', port: '443', protocol: 'TCP' });
  assert.deepEqual(parsePeerEntry('10.0.0.0/8:*/UDP'), { other: '10.0.0.0/8', port: '*', protocol: 'UDP' }, 'a CIDR is no workload');
  assert.deepEqual(parsePeerEntry('fd00::1:53/UDP'), { other: 'fd00::1', port: '53', protocol: 'UDP' }, 'IPv6: the last colon splits');
  assert.deepEqual(parsePeerEntry('fd00::/8:443/TCP'), { other: 'fd00::/8', port: '443', protocol: 'TCP' });
  assert.deepEqual(parsePeerEntry('*:443/TCP'), { other: '*', port: '443', protocol: 'TCP' });
  assert.equal(parsePeerEntry('no port here'), undefined);
});
