/** Writes the bench corpus to stdout: `generate.ts EVENTS WORKLOADS` (the sustained run pipes it into the CLI). */
import { once } from 'node:events';
import { eventLines } from './corpus.js';

const [n, workloads] = process.argv.slice(2).map(Number);
for (const chunk of eventLines(n, workloads, 11)) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
