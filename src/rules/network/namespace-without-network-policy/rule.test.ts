import rule from './rule.js';
import { testRuleFixtures } from '../../test-support.js';

testRuleFixtures(rule, import.meta.url);
