import { testRuleFixtures } from '../../test-support.js';
import rule from './rule.js';

testRuleFixtures(rule, import.meta.url);
