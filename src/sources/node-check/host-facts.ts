/**
 * Node facts read from the machine kubeguard runs on: processes from /proc of its PID namespace (the host's in the
 * DaemonSet, with hostPID), files under a root (`--root /host`: the host's filesystem mounted read-only). Paths the
 * benchmarks and command lines name are host paths; they are resolved under the root, symbolic links included, as if
 * the root were `/` (an absolute link target stays under the root). Reads are bounded and special files refused.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { FactError, type FileInfo, type NodeFacts, type ProcessEntry } from '../../analysis/compliance/kube-bench/facts.js';
import { ProcReader } from '../node/procfs.js';

const MAX_READ_BYTES = 1 << 20;
const MAX_FIND_ENTRIES = 20_000;
const MAX_LINKS = 40;

export interface HostFactsOptions {
  /** The host's filesystem (default `/`). */
  root?: string;
  /** /proc of the PID namespace to read (default `/proc`). */
  proc?: string;
}

/** uid/gid → name from the root's /etc/passwd and /etc/group (`stat -c %U` prints UNKNOWN for an id without one). */
function idNames(root: string, file: string): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of readFileSync(posix.join(root, file), 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && /^\d+$/.test(f[2]) && !names.has(Number(f[2]))) names.set(Number(f[2]), f[0]);
    }
  } catch {
    // no such file: every id is UNKNOWN but root, which stat itself names
  }
  if (!names.has(0)) names.set(0, 'root');
  return names;
}

export function hostFacts(options: HostFactsOptions = {}): NodeFacts {
  const root = posix.resolve(options.root ?? '/');
  const procRoot = options.proc ?? '/proc';
  const users = idNames(root, 'etc/passwd');
  const groups = idNames(root, 'etc/group');

  /** The real path under root of a host path; `follow`: also the last component's links (stat -L, test -e). */
  const resolve = (hostPath: string, follow: boolean): string => {
    const parts = posix.normalize(`/${hostPath}`).split('/').filter(Boolean);
    let current = '/';
    let links = 0;
    while (parts.length) {
      const part = parts.shift()!;
      if (part === '..') {
        current = posix.dirname(current);
        continue;
      }
      const next = posix.join(current, part);
      let st: Stats;
      try {
        st = lstatSync(posix.join(root, next));
      } catch {
        return posix.join(root, next, ...parts);
      }
      if (st.isSymbolicLink() && (parts.length > 0 || follow)) {
        if (++links > MAX_LINKS) throw new FactError(`too many levels of symbolic links at ${hostPath}`);
        const target = readlinkSync(posix.join(root, next));
        parts.unshift(...target.split('/').filter(Boolean));
        current = target.startsWith('/') ? '/' : current;
        continue;
      }
      current = next;
    }
    return posix.join(root, current);
  };

  const info = (st: Stats): FileInfo => ({
    type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'other',
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    user: users.get(st.uid) ?? 'UNKNOWN',
    group: groups.get(st.gid) ?? 'UNKNOWN',
  });
  const tryStat = (fn: () => Stats): Stats | undefined => {
    try {
      return fn();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw new FactError(`cannot read ${(e as NodeJS.ErrnoException).code ?? 'a file'}`);
    }
  };

  let processes: ProcessEntry[] | undefined;
  const readProcesses = (): ProcessEntry[] => {
    const reader = new ProcReader(procRoot);
    const out: ProcessEntry[] = [];
    for (const pid of reader.pids()) {
      const p = reader.read(pid);
      if (p.gone || !p.argv || p.argv.length === 0) continue; // kernel threads have no command line
      out.push({ pid, ppid: p.ppid ?? 0, user: users.get(p.uid ?? -1) ?? String(p.uid ?? '?'), comm: p.comm ?? '', argv: p.argv });
    }
    return out;
  };

  return {
    get processes() {
      return (processes ??= readProcesses());
    },
    description: root === '/' ? 'this host' : `the host root ${root}`,
    stat: (p) => {
      const st = tryStat(() => lstatSync(resolve(p, false)));
      return st && info(st);
    },
    exists: (p) => tryStat(() => statSync(resolve(p, true))) !== undefined,
    isDir: (p) => tryStat(() => statSync(resolve(p, true)))?.isDirectory() ?? false,
    read(p) {
      const real = resolve(p, true);
      const st = tryStat(() => statSync(real));
      if (!st) return undefined;
      if (!st.isFile()) throw new FactError(`${p} is not a regular file`);
      if (st.size > MAX_READ_BYTES) throw new FactError(`${p} is larger than ${MAX_READ_BYTES} bytes`);
      return readFileSync(real, 'utf8');
    },
    find(p) {
      const start = resolve(p, true);
      if (!tryStat(() => lstatSync(start))) return undefined;
      const out: string[] = [p];
      const walk = (real: string, shown: string) => {
        const st = lstatSync(real);
        if (!st.isDirectory()) return;
        for (const name of readdirSync(real)) {
          if (out.length >= MAX_FIND_ENTRIES) throw new FactError(`more than ${MAX_FIND_ENTRIES} entries under ${p}`);
          const child = posix.join(shown, name);
          out.push(child);
          walk(posix.join(real, name), child);
        }
      };
      walk(start, p.replace(/\/$/, '') || '/');
      return out;
    },
    environ(pid) {
      try {
        const text = readFileSync(`${procRoot}/${pid}/environ`, 'utf8');
        return text.split('\0').filter((e) => e !== '');
      } catch {
        return undefined;
      }
    },
  };
}
