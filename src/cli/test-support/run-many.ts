/**
 * Test support: runs several command lines through the real entry (main) in one process, one after the other,
 * and writes their exit codes as JSON to the file named first: `run-many.ts OUT.json '[["scan", …], …]'`.
 * One process start instead of one per command line; each still parses, runs and sets its exit code as alone.
 */
import { writeFileSync } from 'node:fs';
import { main } from '../main.js';

const [out, list] = process.argv.slice(2);
const codes: number[] = [];
for (const args of JSON.parse(list) as string[][]) {
  process.exitCode = undefined;
  await main([process.argv[0], 'kubeguard', ...args]);
  codes.push(Number(process.exitCode ?? 0));
}
process.exitCode = 0;
writeFileSync(out, JSON.stringify(codes));
