import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';

testDetectorFixtures(detector, import.meta.url);

it('one incident per workload however many packages are installed, with the count', () => {
  const line = (i: number, pod: string) => JSON.stringify({ v: 1, kind: 'process.exec', time: `2024-05-02T10:00:0${i}Z`, workload: { namespace: 'shop', pod, container: 'api' }, process: { name: 'apk', args: ['add', `pkg${i}`] } });
  const r = runDetector(detector, [line(1, 'api-5c9f7b8d4f-aaaaa'), line(2, 'api-5c9f7b8d4f-bbbbb'), line(3, 'api-5c9f7b8d4f-aaaaa')].join('\n'));
  assert.equal(r.incidents.length, 1);
  assert.equal(r.incidents[0].count, 3);
  assert.deepEqual(r.incidents[0].workload, { namespace: 'shop', name: 'api', pod: 'api-5c9f7b8d4f-aaaaa', container: 'api' });
  assert.deepEqual(r.incidents[0].pods, ['api-5c9f7b8d4f-bbbbb']);
});
