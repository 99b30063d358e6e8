/** Issue 14, case 4: an exception's `expires` must name a real day and time, or the config is refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../sources/config/parse-config.js';
import { expiryInstant } from '../core/datetime.js';
import { ExceptionLedger } from '../engine/exceptions.js';
import type { Finding, Resource } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { scanInProcess } from './test-support/in-process.js';

const config = (expires: string) => `exceptions:\n  - rules: ['*']\n    reason: legacy\n    expires: "${expires}"\n`;

describe('case 4: exception expiry dates', () => {
  it('case 4: expires "2020-13-45", "2020-00-00", "2020-01-01T99:99" (and Feb 30, Feb 29 of 2023) are refused: the config is invalid', () => {
    for (const bad of ['2020-13-45', '2020-00-00', '2020-01-01T99:99', '2020-02-30', '2023-02-29', '2020-01-01T23:59:60Z', '2020-01-01T10:00+24:00', '2020-1-1']) {
      assert.throws(() => parseConfig(config(bad), 'kubeguard.yaml'), /exceptions|expires/, bad);
    }
    for (const good of ['2024-02-29', '2027-03-31', '2027-03-31T12:30', '2027-03-31T12:30:15.5Z', '2027-03-31 12:30:15+02:00']) {
      assert.doesNotThrow(() => parseConfig(config(good), 'kubeguard.yaml'), good);
    }
  });

  it('case 4: the CLI says so with exit 2 (usage/config error), not a scan that silently never expires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-hostile-expiry-'));
    try {
      writeFileSync(join(dir, 'kubeguard.yaml'), config('2020-13-45'));
      writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n');
      assert.equal((await scanInProcess(['--config', join(dir, 'kubeguard.yaml'), join(dir, 'ns.yaml')])).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('case 4: instants are calendar-correct (end of day UTC for a date, offsets applied)', () => {
    assert.equal(expiryInstant('2024-02-29'), Date.parse('2024-02-29T23:59:59.999Z'));
    assert.equal(expiryInstant('2027-03-31T12:30+02:00'), Date.parse('2027-03-31T10:30:00Z'));
    assert.equal(expiryInstant('0099-01-01'), Date.parse('0099-01-01T23:59:59.999Z'));
    assert.equal(expiryInstant('2020-13-45'), undefined);
  });

  it('case 4: an exception whose date is not real (config not validated) counts as expired, never as eternal', () => {
    const ledger = new ExceptionLedger([{ rules: ['*'], reason: 'legacy', expires: '2020-13-45' }], new Date('2021-01-01'));
    const resource: Resource = { ref: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } };
    const finding = { ruleId: 'r', severity: 'high', message: 'm', resource: resource.ref, path: '' } as Finding;
    assert.equal(ledger.suppress(finding, { id: 'r' } as Rule, resource, undefined), false);
    assert.equal(ledger.expired()[0].findings, 1);
  });
});
