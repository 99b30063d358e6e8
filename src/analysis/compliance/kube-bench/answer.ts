/**
 * Answers a recognised audit (audit.ts) from node facts, printing what the shell command would print, so kube-bench's
 * test semantics (compare.ts) apply to the same text. Three outcomes, as kube-bench's runAudit has them:
 * - `output`: the command's output (exit status 0);
 * - `failed`: the command would exit non-zero (kube-bench then reports FAIL, or WARN when unscored) — e.g. `ps` or
 *   `grep` finding nothing, `stat` or `find` of a missing path;
 * - `unavailable`: we cannot answer it (an unrecognised script, a cluster query, a read that failed): the check
 *   could not be evaluated, never a pass.
 */
import type { AuditPlan, PathRef, StatFormat } from './audit.js';
import type { Discovery } from './discover.js';
import { flagValue } from './discover.js';
import { FactError, type FileInfo, type ProcessEntry } from './facts.js';

export type AuditAnswer = { output: string; notes: string[] } | { failed: string; output: string; notes: string[] } | { unavailable: string };

class Unavailable extends Error {}

function statLine(format: StatFormat, info: FileInfo, path: string): string {
  const perms = info.mode.toString(8);
  switch (format) {
    case 'permissions=%a':
      return `permissions=${perms}`;
    case '%a':
      return perms;
    case '%U:%G':
      return `${info.user}:${info.group}`;
    case 'permissions=%a %n':
      return `permissions=${perms} ${path}`;
    case 'ownership=%U:%G %n':
      return `ownership=${info.user}:${info.group} ${path}`;
  }
}

/** `ps -ef` columns: UID PID PPID C STIME TTY TIME CMD (times are not facts we keep: fixed placeholders). */
function psLine(p: ProcessEntry): string {
  return `${p.user} ${p.pid} ${p.ppid} 0 00:00 ? 00:00:00 ${p.argv.join(' ')}`;
}

/** Basic shell glob of `find -name` (only `*` and `?` are used by the benchmarks). */
function globMatch(name: string, glob: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}

export function answerAudit(plan: AuditPlan, d: Discovery): AuditAnswer {
  const notes: string[] = [];
  const path = (r: PathRef): string => {
    if ('literal' in r) return r.literal;
    const v = d.resolve(r.variable);
    if (!v) throw new Unavailable(`the audit names $${r.variable}, which no component of the benchmark defines`);
    notes.push(`$${r.variable} = ${v.value} (${v.how})`);
    return v.value;
  };
  const stat = (p: string) => d.facts.stat(p);
  const processesOf = (bin: string) => d.facts.processes.filter((p) => p.argv.join(' ').includes(bin) && !p.argv.join(' ').includes('grep'));
  try {
    switch (plan.kind) {
      case 'ps-grep': {
        const bin = path(plan.bin);
        const lines = processesOf(bin).map(psLine);
        return lines.length ? { output: lines.join('\n') + '\n', notes } : { failed: `no process matches ${bin}`, output: '', notes };
      }
      case 'ps-comm': {
        const bin = path(plan.bin);
        const first = bin.split(/\s+/)[0];
        const lines = d.facts.processes.filter((p) => p.comm === first.slice(0, 15)).map(psLine);
        const out = `UID PID PPID C STIME TTY TIME CMD\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
        return lines.length ? { output: out, notes } : { failed: `no process is named ${first}`, output: out, notes };
      }
      case 'stat': {
        const p = path(plan.path);
        const info = d.facts.exists(p) ? stat(p) : undefined;
        if (!info) notes.push(`${p} does not exist`);
        return { output: info ? `${statLine(plan.format, info, p)}\n` : plan.ifMissing, notes };
      }
      case 'stat-each': {
        const lines: string[] = [];
        for (const r of plan.paths) {
          const p = path(r);
          const info = d.facts.exists(p) ? stat(p) : undefined;
          if (info) lines.push(statLine(plan.format, info, p));
          else notes.push(`${p} does not exist`);
        }
        return { output: lines.map((l) => `${l}\n`).join(''), notes };
      }
      case 'find-stat': {
        const p = path(plan.path);
        if (plan.guarded && !d.facts.exists(p)) return { output: '', notes: [...notes, `${p} does not exist`] };
        const all = d.facts.find(p);
        if (!all) return { failed: `${p} does not exist`, output: '', notes };
        const picked = plan.name ? all.filter((f) => globMatch(f.slice(f.lastIndexOf('/') + 1), plan.name!)) : all;
        if (picked.length === 0) return { failed: `nothing under ${p} matches ${plan.name ?? '*'} (stat: missing operand)`, output: '', notes };
        return { output: picked.map((f) => `${statLine(plan.format, stat(f)!, f)}\n`).join(''), notes };
      }
      case 'kubelet-ca-stat': {
        const fromPs = d.facts.processes
          .filter((p) => p.argv.join(' ').includes('kubelet') && !p.argv.join(' ').includes('apiserver'))
          .map((p) => flagValue(p.argv, '--client-ca-file'))
          .find((v) => v);
        const ca = fromPs ?? path(plan.fallback);
        notes.push(fromPs ? `--client-ca-file ${ca} on the kubelet command line` : `the kubelet names no --client-ca-file: ${ca}`);
        const info = d.facts.exists(ca) ? stat(ca) : undefined;
        return { output: info ? `${statLine(plan.format, info, ca)}\n` : '', notes };
      }
      case 'etcd-data-dir-stat': {
        const bin = path(plan.bin);
        const dirs = processesOf(bin)
          .map((p) => flagValue(p.argv, '--data-dir'))
          .filter((v): v is string => v !== undefined && d.facts.isDir(v));
        const dir = dirs.length ? dirs[dirs.length - 1] : path(plan.fallback);
        notes.push(dirs.length ? `etcd --data-dir ${dir}` : `etcd names no existing --data-dir: ${dir}`);
        const info = d.facts.exists(dir) ? stat(dir) : undefined;
        return info ? { output: `${statLine(plan.format, info, dir)}\n`, notes } : { failed: `${dir} does not exist`, output: '', notes };
      }
      case 'encryption-providers': {
        const bin = path(plan.bin);
        const file = processesOf(bin)
          .map((p) => flagValue(p.argv, '--encryption-provider-config'))
          .find((v) => v);
        if (!file || !d.facts.exists(file)) return { output: '', notes: [...notes, file ? `${file} does not exist` : `${bin} has no --encryption-provider-config`] };
        const lines = (d.facts.read(file) ?? '').split('\n');
        const i = lines.map((l) => l.includes('providers:')).lastIndexOf(true);
        const next = i >= 0 ? (lines[i + 1] ?? lines[i]) : '';
        const words = i >= 0 ? (next.match(/[A-Za-z]+/g) ?? []) : [];
        return { output: words.map((w) => `provider=${w}\n`).join(''), notes };
      }
      case 'cni-stat': {
        const bin = path(plan.bin);
        const dir = path(plan.dir);
        const lines: string[] = [];
        for (const p of processesOf(bin)) {
          const conf = flagValue(p.argv, '--cni-conf-dir');
          for (const f of (conf && d.facts.find(conf)?.slice(1)) || []) lines.push(statLine(plan.format, stat(f)!, f));
        }
        for (const f of d.facts.find(dir) ?? []) if (stat(f)?.type === 'file') lines.push(statLine(plan.format, stat(f)!, f));
        return { output: lines.map((l) => `${l}\n`).join(''), notes };
      }
      case 'cat': {
        const p = path(plan.path);
        const text = d.facts.exists(p) ? d.facts.read(p) : undefined;
        if (text === undefined) {
          if (plan.guarded) return { output: '', notes: [...notes, `${p} does not exist`] };
          return { failed: `${p} does not exist`, output: '', notes };
        }
        return { output: text, notes };
      }
      case 'cluster':
        return { unavailable: `the audit queries the cluster with ${plan.tool}: answered by \`kubeguard scan --cluster --framework cis\`, not on the node` };
      case 'unrecognised':
        return { unavailable: 'the audit is a shell script kubeguard does not recognise; it is never run' };
    }
  } catch (e) {
    if (e instanceof Unavailable || e instanceof FactError) return { unavailable: e.message };
    throw e;
  }
}
