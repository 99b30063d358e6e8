/**
 * Preloaded (`--import`) into both server processes of the bench, so both are measured the same way without
 * code of their own: answers {type:'stats'} over the IPC channel with the peak resident set size, the CPU time
 * used so far and where the V8 heap is, and exits on {type:'exit'}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

/** Where the heap is, in MiB (new space is the young generation, which V8 grows under a high allocation rate). */
function heapSpaces(): string {
  const mib = (n: number) => (n / 1048576).toFixed(0);
  const spaces = getHeapSpaceStatistics().filter((s) => s.space_size > 1048576);
  return spaces.map((s) => `${s.space_name.replace(/_space$/, '')} ${mib(s.space_size)}`).join(', ') + `; external ${mib(process.memoryUsage().external)}`;
}

/**
 * The kernel's high-water mark of this process's resident set, in bytes: the true peak, not a sample. Linux's
 * VmHWM starts afresh at exec; getrusage's maxrss does not (a child forked by a large parent reports the parent's).
 */
function peakRss(): number {
  const hwm = existsSync('/proc/self/status') ? /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] : undefined;
  return hwm ? Number(hwm) * 1024 : process.resourceUsage().maxRSS * 1024;
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({ type: 'stats', rss: peakRss(), cpuMicros: cpu.user + cpu.system, heap: heapSpaces() });
  }
  if (m.type === 'exit') process.exit(0);
});
// The channel must not keep a server that is shutting down alive.
process.channel?.unref();
