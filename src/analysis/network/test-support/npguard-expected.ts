/** Test-only: np-guard connlist expected output (`src => dst : conns` lines, allowed only) as a lookup. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../../test-support/conformance.js';
import { ConnSet } from '../conns.js';
import { parseIp, type IpInterval } from '../ip.js';

interface ExtLine {
  family: 4 | 6;
  start: bigint;
  end: bigint;
  workload: string;
  conns: ConnSet;
}

export interface NpGuardExpected {
  pods: Map<string, ConnSet>;
  fromExt: ExtLine[];
  toExt: ExtLine[];
  /** External lines by workload, per direction (built lazily). */
  byWorkload?: { from: Map<string, ExtLine[]>; to: Map<string, ExtLine[]> };
}

export const NPGUARD_ROOT = conformanceDir('netpol', 'np-guard-netpol-analyzer');

export function readExpected(caseName: string): NpGuardExpected {
  const text = readFileSync(join(NPGUARD_ROOT, 'expected', `${caseName}_connlist_output.txt`), 'utf8');
  const pods = new Map<string, ConnSet>();
  const fromExt: ExtLine[] = [];
  const toExt: ExtLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+?) => (.+?) : (.+)$/.exec(line.trim());
    if (!m) continue;
    const [, src, dst, conns] = m;
    const ext = (s: string) => /^(.+)-(.+)\[External\]$/.exec(s);
    const es = ext(src);
    const ed = ext(dst);
    const c = ConnSet.parse(conns);
    const mk = (e: RegExpExecArray, workload: string): ExtLine => {
      const a = parseIp(e[1]);
      return { family: a.family, start: a.value, end: parseIp(e[2]).value, workload, conns: c };
    };
    if (es) fromExt.push(mk(es, dst));
    else if (ed) toExt.push(mk(ed, src));
    else pods.set(`${src} => ${dst}`, c);
  }
  return { pods, fromExt, toExt };
}

/** Expected connections between two workloads (`ns/name[Kind]`). */
export function expectedPods(e: NpGuardExpected, src: string, dst: string): ConnSet {
  return e.pods.get(`${src} => ${dst}`) ?? ConnSet.NONE;
}

/** Expected connections between a workload and an external interval lying inside the upstream ranges. */
export function expectedExternal(e: NpGuardExpected, dir: 'from' | 'to', interval: IpInterval, workload: string): ConnSet {
  if (!e.byWorkload) {
    const group = (lines: ExtLine[]) => {
      const m = new Map<string, ExtLine[]>();
      for (const l of lines) (m.get(l.workload) ?? m.set(l.workload, []).get(l.workload)!).push(l);
      return m;
    };
    e.byWorkload = { from: group(e.fromExt), to: group(e.toExt) };
  }
  const inside = (l: ExtLine) => l.family === interval.family && l.start <= interval.start && interval.end <= l.end;
  const lines = (dir === 'from' ? e.byWorkload.from : e.byWorkload.to).get(workload) ?? [];
  return lines.filter(inside).reduce((acc, l) => acc.union(l.conns), ConnSet.NONE);
}
