/**
 * The ctnetlink reader process that CtnetlinkSource starts inside another network namespace (`nsenter --net=PATH
 * node ctnetlink-child.js [RCVBUF]`): reads that namespace's connection events and writes fixed-size records
 * (ctnetlink.ts) to stdout — first "ready" once subscribed, then event batches, its counters every second and last.
 * Stops when its stdin closes (the parent stopped or died) or on SIGTERM. A failure to open is said on stderr, exit 3.
 */
import { countersRecord, RECORD_SIZE, REC_READY } from './ctnetlink.js';
import { CtnetlinkReader } from './ctnetlink-source.js';
import { errorMessage } from '../../core/errors.js';

/** What may wait in the pipe before records are dropped (counted): the parent is not keeping up. */
const MAX_BUFFERED = 16 << 20;

const reader = new CtnetlinkReader();
const out = process.stdout;
try {
  reader.start((records) => {
    if (out.writableLength > MAX_BUFFERED) reader.counters.relayDropped += records.length / RECORD_SIZE;
    else out.write(records);
  }, Number(process.argv[2]) || undefined);
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  process.stderr.write(`ctnetlink: ${code && !errorMessage(e).includes(code) ? `${code}: ` : ''}${errorMessage(e)}\n`);
  process.exit(3);
}
reader.refreshKernelDrops();
out.write(countersRecord(reader.counters, REC_READY));
const timer = setInterval(() => {
  reader.refreshKernelDrops();
  out.write(countersRecord(reader.counters));
}, 1000);
let stopped = false;
const stop = () => {
  if (stopped) return;
  stopped = true;
  clearInterval(timer);
  reader.stop();
  out.write(countersRecord(reader.counters), () => process.exit(0));
};
process.stdin.on('end', stop).on('close', stop).resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
