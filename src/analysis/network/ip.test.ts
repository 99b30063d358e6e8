import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admitsInternet, blockContains, elementaryIntervals, formatInterval, parseCidr, parseIp, parseIpBlock } from './ip.js';

describe('ip', () => {
  it('parses IPv4 and IPv6 addresses', () => {
    assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001n });
    assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseIp('::ffff:1.2.3.4'), { family: 6, value: 0xffff01020304n });
    assert.equal(parseIp('2001:db8::').value, 0x20010db8n << 96n);
    assert.throws(() => parseIp('10.0.0.256'));
    assert.throws(() => parseIp('1::2::3'));
  });

  it('parses CIDRs into intervals', () => {
    assert.equal(formatInterval(parseCidr('10.0.0.0/8')), '10.0.0.0-10.255.255.255');
    assert.equal(formatInterval(parseCidr('0.0.0.0/0')), '0.0.0.0-255.255.255.255');
    assert.equal(formatInterval(parseCidr('172.17.1.5/32')), '172.17.1.5-172.17.1.5');
    assert.equal(formatInterval(parseCidr('2001:db8::/32')), '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
  });

  it('ipBlock except carves holes (docs: 172.17.0.0/16 except 172.17.1.0/24)', () => {
    const b = parseIpBlock('172.17.0.0/16', ['172.17.1.0/24']);
    const at = (s: string) => blockContains(b, 4, parseIp(s).value);
    assert.equal(at('172.17.0.9'), true);
    assert.equal(at('172.17.1.9'), false);
    assert.equal(at('172.17.2.9'), true);
    assert.equal(at('172.18.0.1'), false);
    assert.throws(() => parseIpBlock('10.0.0.0/8', ['11.0.0.0/8']));
  });

  it('elementary intervals cut at every boundary', () => {
    const b = parseIpBlock('0.0.0.0/0', ['10.0.0.0/8']);
    const v4 = elementaryIntervals([b]).filter((r) => r.family === 4).map(formatInterval);
    assert.deepEqual(v4, ['0.0.0.0-9.255.255.255', '10.0.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']);
  });

  it('recognises blocks that admit the internet', () => {
    assert.equal(admitsInternet(parseIpBlock('0.0.0.0/0')), true);
    assert.equal(admitsInternet(parseIpBlock('::/0')), true);
    assert.equal(admitsInternet(parseIpBlock('10.0.0.0/8')), false);
  });
});
