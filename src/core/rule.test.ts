import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineRule, formatMessage, type AnyRule, type RuleContext } from './rule.js';

/** A rule whose check is never run by the compiler: the assertions below are about what compiles. */
const rule = defineRule({
  id: 'typed-messages-example',
  title: 'Example',
  description: 'Example',
  category: 'workload',
  severity: 'low',
  kinds: ['Pod'],
  messages: { missing: '{{what}} is missing', extra: 'extra {{what}}' },
  remediation: 'None.',
  check(ctx, resource, options: { limit?: number }) {
    ctx.report({ messageId: 'missing', path: '/spec', data: { what: resource.ref.name } });
    // @ts-expect-error a message id the rule does not define is a compile error
    ctx.report({ messageId: 'mising', path: '/spec' });
    if (options.limit !== undefined) ctx.report({ messageId: 'extra', path: '/spec', data: { what: options.limit } });
  },
});

function reportsMissing(ctx: RuleContext<'missing'>): void {
  ctx.report({ messageId: 'missing', path: '' });
}

describe('defineRule message ids', () => {
  it('infers the ids from messages, checks helpers against them, and erases them in one type for the catalogue', () => {
    const check = (ctx: RuleContext<'missing' | 'extra'>, other: RuleContext<'extra'>) => {
      reportsMissing(ctx);
      // @ts-expect-error a helper that reports 'missing' needs a rule that has that message
      reportsMissing(other);
    };
    const catalogue: AnyRule[] = [rule];
    assert.deepEqual(Object.keys(catalogue[0].messages), ['missing', 'extra']);
    assert.equal(typeof check, 'function');
  });

  it('formats templates, keeping an unknown placeholder visible', () => {
    assert.equal(formatMessage(rule.messages.missing, { what: 'limits' }), 'limits is missing');
    assert.equal(formatMessage(rule.messages.extra), 'extra {{what}}');
  });
});
