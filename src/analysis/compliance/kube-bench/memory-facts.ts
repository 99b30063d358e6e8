/** Node facts held in memory: what a test describes, or what the API server told us about a node (no host access). */
import type { FileInfo, NodeFacts, ProcessEntry } from './facts.js';

export interface MemoryFile {
  mode: number;
  user?: string;
  group?: string;
  /** Absent for a directory. */
  text?: string;
}

export function memoryFacts(spec: {
  processes?: (Partial<ProcessEntry> & { argv: string[] })[];
  files?: Record<string, MemoryFile>;
  environ?: Record<number, string[]>;
  description?: string;
}): NodeFacts {
  const files = new Map(Object.entries(spec.files ?? {}));
  const isDir = (p: string) => (files.has(p) && files.get(p)!.text === undefined) || [...files.keys()].some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`));
  const processes: ProcessEntry[] = (spec.processes ?? []).map((p, i) => {
    const base = p.argv[0].slice(p.argv[0].lastIndexOf('/') + 1);
    return { pid: p.pid ?? 100 + i, ppid: p.ppid ?? 1, user: p.user ?? 'root', comm: p.comm ?? base.slice(0, 15), argv: p.argv };
  });
  return {
    processes,
    description: spec.description ?? 'facts in memory',
    exists: (p) => files.has(p) || isDir(p),
    isDir,
    stat(p): FileInfo | undefined {
      const f = files.get(p) ?? (isDir(p) ? { mode: 0o755 } : undefined);
      if (!f) return undefined;
      return { type: f.text === undefined ? 'dir' : 'file', mode: f.mode, uid: 0, gid: 0, user: f.user ?? 'root', group: f.group ?? 'root' };
    },
    read: (p) => files.get(p)?.text,
    find(p) {
      const root = p.replace(/\/$/, '');
      if (!files.has(root) && !isDir(root)) return undefined;
      const below = new Set<string>();
      for (const f of files.keys()) {
        if (!f.startsWith(`${root}/`)) continue;
        const parts = f.slice(root.length + 1).split('/');
        for (let i = 1; i <= parts.length; i++) below.add(`${root}/${parts.slice(0, i).join('/')}`);
      }
      return [p, ...[...below].sort()];
    },
    environ: (pid) => spec.environ?.[pid],
  };
}
