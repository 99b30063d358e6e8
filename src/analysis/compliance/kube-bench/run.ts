/**
 * Runs kube-bench check definitions against node facts (kube-bench's Check.run, check/check.go), without a shell:
 * audits are recognised (audit.ts) and answered from facts (answer.ts); tests are kube-bench's (compare.ts).
 *
 * Each result keeps kube-bench's own state (PASS / FAIL / WARN / INFO, what kube-bench prints for the same node) and
 * kubeguard's status:
 * - PASS / FAIL as kube-bench, for scored checks; an unscored check whose test does not pass is MANUAL (kube-bench:
 *   WARN — a recommendation to review, not a failure);
 * - MANUAL for `type: manual`; NOT_APPLICABLE for `type: skip`, a target whose components do not run on this node,
 *   and what the platform's provider owns;
 * - COULD_NOT_EVALUATE when the audit cannot be answered here (an unknown script, a failed read, a path that does not
 *   exist for an unguarded audit), with the reason — never PASS; a cluster query (kubectl) is NOT_APPLICABLE on the
 *   node: the cluster view answers it.
 */
import { recogniseAudit } from './audit.js';
import { answerAudit } from './answer.js';
import { runTests } from './compare.js';
import type { BenchConfig, BenchmarkCheck, ControlsFile, NodeType } from './definitions.js';
import { Discovery } from './discover.js';
import type { NodeFacts } from './facts.js';

export type ControlStatus = 'PASS' | 'FAIL' | 'NOT_APPLICABLE' | 'COULD_NOT_EVALUATE' | 'MANUAL';
export type KubeBenchState = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

export interface CheckResult {
  id: string;
  title: string;
  /** The section (kube-bench group) id and text, e.g. 4.2 "Kubelet". */
  section: { id: string; title: string };
  target: NodeType;
  status: ControlStatus;
  /** What kube-bench reports for the same node; undefined when the check did not apply to the node at all. */
  kubeBench?: KubeBenchState;
  scored: boolean;
  /** What was looked at and found: an auditor's trail, free of secret values (only flags and file metadata). */
  evidence: string;
  expected?: string;
  actual?: string;
  remediation: string;
}

export interface RunOptions {
  /**
   * Judge each check by the components its audit names, not the whole target by kube-bench's "every non-optional
   * component runs" (for command lines taken from pods, where the input may hold only some of them).
   */
  perComponent?: boolean;
  /** Checks the platform's provider owns, with the reason: NOT_APPLICABLE. */
  providerOwned?: (check: BenchmarkCheck, target: NodeType) => string | undefined;
}

/** The first line of an audit's output, bounded, as evidence (flags, modes and owners; config values stay out). */
function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function runControls(files: readonly ControlsFile[], config: BenchConfig, facts: NodeFacts, options: RunOptions = {}): CheckResult[] {
  const out: CheckResult[] = [];
  for (const file of files) {
    const d = new Discovery(facts, config, file.type);
    // kube-bench's isThisNodeRunning: a target applies when every non-optional component of it runs here.
    const missing = d.missing();
    const absent = (facts.commandLinesUnknown || options.perComponent) && missing.length > 0 ? undefined : missing.length > 0 ? `no ${missing.join(' / ')} process runs on this node (${facts.description}): the ${file.type} checks do not apply here` : undefined;
    for (const group of file.groups) {
      for (const check of group.checks) {
        const base = { id: check.id, title: check.text, section: { id: group.id, title: group.text }, target: file.type, scored: check.scored, remediation: check.remediation };
        out.push({ ...base, ...evaluate(check, d, absent, options.providerOwned?.(check, file.type)) });
      }
    }
  }
  return out;
}

type Outcome = Pick<CheckResult, 'status' | 'kubeBench' | 'evidence' | 'expected' | 'actual'>;

function evaluate(check: BenchmarkCheck, d: Discovery, absent: string | undefined, owned: string | undefined): Outcome {
  const unscored = (pass: boolean): KubeBenchState => (pass ? 'PASS' : check.scored ? 'FAIL' : 'WARN');
  if (owned) return { status: 'NOT_APPLICABLE', evidence: owned };
  if (check.type === 'skip') return { status: 'NOT_APPLICABLE', kubeBench: 'INFO', evidence: 'the benchmark marks this check as skipped' };
  if (check.scored && check.type === '' && !check.tests) return { status: 'MANUAL', kubeBench: 'WARN', evidence: 'the benchmark defines no tests for this check' };
  if (check.type === 'manual') return { status: 'MANUAL', kubeBench: 'WARN', evidence: 'a manual check: review it by hand (the benchmark automates no test)' };
  if (!check.tests || check.tests.items.length === 0)
    return { status: check.scored ? 'COULD_NOT_EVALUATE' : 'MANUAL', kubeBench: unscored(false), evidence: 'the benchmark defines no tests for this check' };
  if (absent) return { status: 'NOT_APPLICABLE', evidence: absent };
  const notRunning = [...`${check.audit}\n${check.auditConfig}`.matchAll(/\$(\w+)bin\b/g)].map((m) => d.components.get(m[1])).find((c) => c && c.config.bins.length > 0 && !c.bin);
  if (notRunning && !d.facts.commandLinesUnknown) return { status: 'NOT_APPLICABLE', evidence: `no ${notRunning.name} process in ${d.facts.description}` };
  const unseen = d.facts.commandLinesUnknown;
  if (unseen && (d.missing().length > 0 || (/\bps\b/.test(check.audit) && check.tests.items.some((t) => t.path === '')))) {
    return { status: 'COULD_NOT_EVALUATE', kubeBench: unscored(false), evidence: `${unseen}: the check reads a command line` };
  }

  const plans = [check.auditEnv, check.audit, check.auditConfig].map(recogniseAudit);
  const cluster = plans.find((p) => p?.kind === 'cluster');
  if (cluster?.kind === 'cluster') return { status: 'NOT_APPLICABLE', evidence: `a cluster-wide check (the audit queries the cluster with ${cluster.tool}), not a node fact: \`kubeguard scan --cluster --framework cis\` answers it` };
  const answers = plans.map((plan) => {
    return plan ? answerAudit(plan, d) : { output: '', notes: [] as string[] };
  });
  const blocked = answers.find((a) => 'unavailable' in a);
  if (blocked && 'unavailable' in blocked) return { status: 'COULD_NOT_EVALUATE', kubeBench: unscored(false), evidence: blocked.unavailable };
  const [env, audit, conf] = answers as Exclude<(typeof answers)[number], { unavailable: string }>[];
  const notes = [...new Set(answers.flatMap((a) => ('notes' in a ? a.notes : [])))];
  // kube-bench: a failing audit command is an error (FAIL, or WARN unscored); a failing audit_config is ignored when
  // the audit printed something (runAuditCommands).
  const confFailed = 'failed' in conf && !(audit.output !== '' || env.output !== '');
  const failed = 'failed' in env ? env : 'failed' in audit ? audit : confFailed ? conf : undefined;
  if (failed && 'failed' in failed) {
    return { status: 'COULD_NOT_EVALUATE', kubeBench: unscored(false), evidence: [failed.failed, ...notes].join('; ') };
  }
  const envText = () => (check.auditEnv !== '' ? env.output : environOf(check, d));
  const result = runTests(check, { command: audit.output, config: 'failed' in conf ? '' : conf.output, env: envText });
  if (result.error) return { status: 'COULD_NOT_EVALUATE', kubeBench: unscored(false), evidence: [result.error, ...notes].join('; ') };
  const actual = firstLine(audit.output || conf.output);
  const evidence = [`expected ${result.expected}`, ...notes].join('; ');
  const kb = unscored(result.pass);
  return { status: result.pass ? 'PASS' : check.scored ? 'FAIL' : 'MANUAL', kubeBench: kb, evidence, expected: result.expected, actual };
}

/**
 * kube-bench's default audit_env (generateDefaultEnvAudit): the environment of the process of the target's one
 * running binary; with several (or none), kube-bench's command names no process and prints nothing.
 */
function environOf(check: BenchmarkCheck, d: Discovery): string {
  if (check.disableEnvTesting) return '';
  const running = [...d.components.values()].filter((c) => c.bin);
  if (running.length !== 1) return '';
  const p = running[0].processes[0];
  return (d.facts.environ(p.pid) ?? []).join('\n');
}
