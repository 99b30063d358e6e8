/**
 * What /proc tells about one process, read through @stroncium/procfs (the maintained pure-JS procfs reader): its
 * executable, parent, terminal, start time and user. Two files are read here: the command line (bounded: the
 * library reads it whole, and a process may hold megabytes of arguments) and the cgroup file, interpreted by
 * cgroup.ts (the library splits each line on every ':', which cuts a path that holds one). A
 * process may be gone by the time we look (the connector reports an exec after the fact): every field is then
 * absent and `gone` is set, never an error.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { Procfs } from '@stroncium/procfs';

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
  private cmdline(pid: number): string[] {
    const fd = openSync(`${this.root}/${pid}/cmdline`, 'r');
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
   * Reads what is left to read, the most telling first (argv, executable, cgroup): a short-lived process may end
   * between two reads, and what was read is still worth reporting. `gone` only when nothing could be read.
   */
  read(pid: number): ProcessFacts {
    const facts: ProcessFacts = { pid, gone: false };
    try {
      facts.argv = this.cmdline(pid);
    } catch {
      /* gone */
    }
    try {
      const exe = this.procfs.processExe(pid);
      facts.exe = exe.path;
      if (exe.deleted) facts.exeDeleted = true;
    } catch {
      /* kernel threads have no executable; another user's needs CAP_SYS_PTRACE */
    }
    try {
      facts.cgroup = readFileSync(`${this.root}/${pid}/cgroup`, 'utf8');
    } catch {
      /* gone meanwhile */
    }
    try {
      const stat = this.procfs.processStat(pid);
      facts.comm = stat.comm;
      facts.ppid = stat.parent;
      facts.tty = stat.tty !== 0;
      facts.startTicks = stat.startTicks;
      facts.uid = this.procfs.processStatus(pid).uidReal;
    } catch {
      /* gone meanwhile */
    }
    if (facts.argv === undefined && facts.exe === undefined && facts.cgroup === undefined && facts.comm === undefined) facts.gone = true;
    return facts;
  }
}

/** At most this much of a command line is read (a process may hold megabytes of arguments). */
const MAX_CMDLINE_BYTES = 256 * 1024;
const cmdlineBuffer = Buffer.allocUnsafe(MAX_CMDLINE_BYTES);

function boundArgv(argv: string[]): string[] {
  const out = argv.length > MAX_ARGS ? argv.slice(0, MAX_ARGS) : argv;
  for (let i = 0; i < out.length; i++) if (out[i].length > MAX_ARG_CHARS) out[i] = out[i].slice(0, MAX_ARG_CHARS);
  return out;
}
