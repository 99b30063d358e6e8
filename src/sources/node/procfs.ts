/**
 * What /proc tells about one process at its exec: command line, executable, cgroup, parent, terminal, start time
 * and user. This is the sensor's hot path (every exec on the node), so the four files are read here with one
 * reused buffer and one read each, about 120 µs a process on a loaded machine against about 290 µs through
 * @stroncium/procfs, which reads to EOF with an extra read, parses every field of stat and status, and would
 * read a command line of any size (here: at most 256 KiB). The library serves the rest (the pid list, mountinfo).
 * cgroup.ts interprets the cgroup file (the library splits each line on every ':', which cuts such a path). A
 * process may be gone by the time we look (the connector reports an exec after the fact): every field is then
 * absent and `gone` is set, never an error.
 */
import { closeSync, openSync, readSync, readlinkSync, statSync } from 'node:fs';
import { Procfs } from '@stroncium/procfs';
import { containerOfCgroupFile } from './cgroup.js';

export interface ProcessFacts {
  pid: number;
  /** The process had ended before it could be read. */
  gone: boolean;
  /** argv as the process holds it now (argv[0] first). */
  argv?: string[];
  /** Executable path in the process's own mount namespace; `(deleted)` removed and reported as `exeDeleted`. */
  exe?: string;
  exeDeleted?: boolean;
  /** comm (15 characters at most). */
  comm?: string;
  ppid?: number;
  uid?: number;
  /** Has a controlling terminal. */
  tty?: boolean;
  /** Start time in clock ticks since boot (with the pid, tells a reused pid apart). */
  startTicks?: number;
  /** /proc/PID/cgroup, raw. */
  cgroup?: string;
}

/** Bounds on what one process may make us hold: argv count and length of each argument (the event model's). */
export const MAX_ARGS = 512;
export const MAX_ARG_CHARS = 8192;

export class ProcReader {
  private readonly procfs: Procfs;

  constructor(readonly root = '/proc') {
    this.procfs = new Procfs(root);
  }

  /**
   * argv from /proc/PID/cmdline, NUL-separated, read here rather than through the library so that at most
   * MAX_CMDLINE_BYTES are read whatever the process holds. Empty for a zombie or kernel thread.
   */
  private cmdline(dir: string): string[] {
    const fd = openSync(`${dir}/cmdline`, 'r');
    let n = 0;
    try {
      for (let r = 1; r > 0 && n < MAX_CMDLINE_BYTES; n += r) r = readSync(fd, cmdlineBuffer, n, MAX_CMDLINE_BYTES - n, null);
    } finally {
      closeSync(fd);
    }
    if (n === 0) return [];
    const text = cmdlineBuffer.toString('utf8', 0, cmdlineBuffer[n - 1] === 0 ? n - 1 : n);
    return boundArgv(text.split('\0'));
  }

  /** Every process id now in /proc. */
  pids(): number[] {
    return this.procfs.processes();
  }

  /**
   * Reads the cgroup first (which container, if any), then the most telling (argv, executable), then stat and
   * owner: a short-lived process may end between two reads, and what was read is still worth reporting. `gone`
   * when the process had ended before its cgroup could be read. `hostDetail: false` skips argv and executable of a
   * process outside every container (its events are not wanted; its name and parent still are).
   */
  read(pid: number, options: { hostDetail?: boolean } = {}): ProcessFacts {
    const facts: ProcessFacts = { pid, gone: false };
    const dir = `${this.root}/${pid}`;
    try {
      facts.cgroup = readSmall(`${dir}/cgroup`);
    } catch {
      facts.gone = true;
      return facts;
    }
    // a host process whose events are not wanted: its name and parent are enough (it may be a container's parent)
    const detail = options.hostDetail !== false || containerOfCgroupFile(facts.cgroup) !== undefined;
    if (detail) {
      try {
        facts.argv = this.cmdline(dir);
      } catch {
        /* gone */
      }
    }
    try {
      if (detail) {
        const exe = readlinkSync(`${dir}/exe`);
        const deleted = exe.endsWith(' (deleted)');
        facts.exe = deleted ? exe.slice(0, -' (deleted)'.length) : exe;
        if (deleted) facts.exeDeleted = true;
      }
    } catch {
      /* a zombie or kernel thread has no executable; another user's needs CAP_SYS_PTRACE */
    }
    try {
      parseStat(readSmall(`${dir}/stat`), facts);
      // the owner of /proc/PID is the process's effective uid (one stat call, not /proc/PID/status)
      facts.uid = statSync(dir).uid;
    } catch {
      /* gone meanwhile */
    }
    if (facts.argv === undefined && facts.exe === undefined && facts.comm === undefined) facts.gone = true;
    return facts;
  }
}

const smallBuffer = Buffer.allocUnsafe(64 * 1024);

/** A /proc file of at most 64 KiB, with one open, one read and one close (the kernel fills a small file in one read). */
function readSmall(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, smallBuffer, 0, smallBuffer.length, null);
    return smallBuffer.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The fields of /proc/PID/stat the sensor uses (proc(5)): comm in parentheses (it may hold spaces and ')': the
 * last ')' ends it), then state, ppid (4th field), …, tty_nr (7th), …, starttime (22nd).
 */
export function parseStat(text: string, into: ProcessFacts): void {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error('unexpected stat format');
  into.comm = text.slice(open + 1, close);
  const f = text.slice(close + 2).split(' ');
  into.ppid = Number(f[1]);
  into.tty = Number(f[4]) !== 0;
  into.startTicks = Number(f[19]);
}

/** At most this much of a command line is read (a process may hold megabytes of arguments). */
const MAX_CMDLINE_BYTES = 256 * 1024;
const cmdlineBuffer = Buffer.allocUnsafe(MAX_CMDLINE_BYTES);

function boundArgv(argv: string[]): string[] {
  const out = argv.length > MAX_ARGS ? argv.slice(0, MAX_ARGS) : argv;
  for (let i = 0; i < out.length; i++) if (out[i].length > MAX_ARG_CHARS) out[i] = out[i].slice(0, MAX_ARG_CHARS);
  return out;
}
