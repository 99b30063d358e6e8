import type { Reporter } from './types.js';

export const json: Reporter = (report) => JSON.stringify(report, null, 2) + '\n';
