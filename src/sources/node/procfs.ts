/**
 * What /proc tells about one process, read through @stroncium/procfs (the maintained pure-JS procfs reader): its
 * command line, executable, parent, terminal, start time, user and cgroup. The cgroup file is read whole and
 * interpreted by cgroup.ts (the library splits each line on every ':', which cuts a path that holds one). A
 * process may be gone by the time we look (the connector reports an exec after the fact): every field is then
 * absent and `gone` is set, never an error.
 */
import { readFileSync } from 'node:fs';
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

  /** Every process id now in /proc. */
  pids(): number[] {
    return this.procfs.processes();
  }

  read(pid: number): ProcessFacts {
    const facts: ProcessFacts = { pid, gone: false };
    try {
      const stat = this.procfs.processStat(pid);
      facts.comm = stat.comm;
      facts.ppid = stat.parent;
      facts.tty = stat.tty !== 0;
      facts.startTicks = stat.startTicks;
    } catch {
      facts.gone = true;
      return facts;
    }
    try {
      facts.argv = boundArgv(this.procfs.processCmdline(pid) ?? []);
    } catch {
      /* a zombie or kernel thread has none */
    }
    try {
      const exe = this.procfs.processExe(pid);
      facts.exe = exe.path;
      if (exe.deleted) facts.exeDeleted = true;
    } catch {
      /* kernel threads have no executable; another user's needs CAP_SYS_PTRACE */
    }
    try {
      facts.uid = this.procfs.processStatus(pid).uidReal;
    } catch {
      /* gone meanwhile */
    }
    try {
      facts.cgroup = readFileSync(`${this.root}/${pid}/cgroup`, 'utf8');
    } catch {
      /* gone meanwhile */
    }
    return facts;
  }
}

function boundArgv(argv: string[]): string[] {
  const out = argv.length > MAX_ARGS ? argv.slice(0, MAX_ARGS) : argv;
  for (let i = 0; i < out.length; i++) if (out[i].length > MAX_ARG_CHARS) out[i] = out[i].slice(0, MAX_ARG_CHARS);
  return out;
}
