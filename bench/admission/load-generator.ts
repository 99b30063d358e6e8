/**
 * The load generator of the admission bench, run as a fresh child process for each phase, so neither the bench
 * parent's heap (the engine it loaded for the in-process breakdown) nor an earlier phase disturbs it. Receives one
 * job over IPC, runs it, answers with the phase's figures and exits.
 *   - saturation (or `overallRate`): autocannon;
 *   - paced: the open-loop, evenly paced generator of paced-load.ts, which says {type:'warm'} after its warm-up
 *     and measures once the parent answers.
 */
import autocannon from 'autocannon';
import { pacedLoad } from './paced-load.js';
import type { LoadResult } from './paced-load.js';

export interface LoadJob {
  port: number;
  body: string;
  expectBody: string;
  connections: number;
  seconds: number;
  /** autocannon: requests per second over all connections (each second's quota sent as a burst). */
  overallRate?: number;
  /** Evenly paced, open-loop rate (paced-load.ts). */
  pacedRate?: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const origin = `https://127.0.0.1:${job.port}`;
  if (job.pacedRate) {
    // The parent samples the server's CPU time once warm-up is over: {type:'warm'} out, any message back.
    const afterWarmup = () =>
      new Promise<void>((resolve) => {
        process.once('message', () => resolve());
        process.send?.({ type: 'warm' });
      });
    return pacedLoad({ origin, path: '/validate', body: job.body, expectBody: job.expectBody, rate: job.pacedRate, connections: job.connections, seconds: job.seconds, afterWarmup });
  }
  const result = await autocannon({
    url: `${origin}/validate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: job.body,
    // A reply other than the expected allow (e.g. a failure-mode denial under overload) counts as an error.
    expectBody: job.expectBody,
    connections: job.connections,
    duration: job.seconds,
    ...(job.overallRate && { overallRate: job.overallRate }),
  });
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    mismatches: result.mismatches,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
});
