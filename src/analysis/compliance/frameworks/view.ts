/**
 * Framework views of a scan (`scan --framework cis|nsa|mitre|pss-baseline|pss-restricted`): every control of the
 * framework with a status, the findings behind each FAIL, evidence, and scores (report.ts).
 *
 * A control is judged by the rules that name it in their compliance references (RuleMeta.compliance): FAIL when they
 * found something (the findings are listed), COULD_NOT_EVALUATE when one of them could not judge an object, PASS when
 * they ran over objects of the kinds they judge and found nothing, NOT_APPLICABLE when the input holds no such object.
 * CIS controls are the checks of a kube-bench benchmark; control-plane checks are also evaluated with kube-bench's
 * definitions on the command lines of the control-plane pods in the input (kube-system static pods), and merged with
 * the rules' verdict: one result per CIS id, the worse one winning (FAIL, COULD_NOT_EVALUATE, PASS). Controls no rule
 * judges are MANUAL (a reviewer decides), node checks NOT_APPLICABLE with a pointer to `kubeguard node check`.
 */
import type { Finding, KubeObject, ScanReport } from '../../../core/model.js';
import type { RuleMeta } from '../../../core/rule.js';
import { loadBenchmark, type Benchmark } from '../kube-bench/benchmarks.js';
import { FactError, type NodeFacts, type ProcessEntry } from '../kube-bench/facts.js';
import { runControls, type CheckResult } from '../kube-bench/run.js';
import { scoreControls, type ComplianceControl, type ComplianceReport, type ControlStatus } from '../report.js';
import { MITRE_CONTROLS, NSA_CONTROLS, pssControls, type CatalogControl } from './catalogs.js';
import { DEFAULT_CIS_BENCHMARK, RULES_CIS_BENCHMARK, type Framework } from './names.js';

export { DEFAULT_CIS_BENCHMARK, FRAMEWORKS, RULES_CIS_BENCHMARK, type Framework } from './names.js';

export interface ViewInput {
  report: ScanReport;
  /** The rules that ran (after config and presets). */
  rules: readonly Pick<RuleMeta, 'id' | 'kinds' | 'compliance'>[];
  /** Every rule known, to tell a disabled rule from no rule. */
  catalog: readonly Pick<RuleMeta, 'id' | 'kinds' | 'compliance'>[];
  objects: readonly KubeObject[];
  /** For cis: a shipped benchmark name. */
  benchmark?: string;
}

type RefsOf = (r: Pick<RuleMeta, 'compliance'>) => string[];

const POD_BEARING = new Set(['Pod', 'PodTemplate', 'CronJob', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

const normalise = (text: string) => text.replace(/\s*\((Manual|Automated)\)\s*$/i, '').trim().toLowerCase();

/**
 * Rule CIS ids (RULES_CIS_BENCHMARK numbering) → the same recommendation's id in `target`: the check of the same target
 * (master, node, …) with the same text. A recommendation the target benchmark dropped has no entry.
 */
export function cisTranslation(target: Benchmark, from: Benchmark = loadBenchmark(RULES_CIS_BENCHMARK)): Map<string, string> {
  const byText = new Map<string, string>();
  for (const f of target.files) for (const g of f.groups) for (const c of g.checks) byText.set(`${f.type}|${normalise(c.text)}`, c.id);
  const out = new Map<string, string>();
  for (const f of from.files) for (const g of f.groups) for (const c of g.checks) {
    const to = byText.get(`${f.type}|${normalise(c.text)}`);
    if (to) out.set(c.id, to);
  }
  return out;
}

function ruleVerdict(id: string, refsOf: RefsOf, input: ViewInput, kindsPresent: Set<string>): { status: ControlStatus; evidence: string; findings: Finding[] } | undefined {
  const known = input.catalog.filter((r) => refsOf(r).includes(id));
  if (known.length === 0) return undefined;
  const running = input.rules.filter((r) => refsOf(r).includes(id));
  const ids = new Set(running.map((r) => r.id));
  const findings = input.report.findings.filter((f) => ids.has(f.ruleId) || f.related?.some((x) => ids.has(x.ruleId)));
  if (findings.length > 0) return { status: 'FAIL', evidence: `${findings.length} finding${findings.length === 1 ? '' : 's'} of ${[...new Set(findings.map((f) => f.ruleId))].join(', ')}`, findings };
  const blind = input.report.notEvaluated.filter((n) => n.ruleId && ids.has(n.ruleId) && !n.notVisible);
  if (blind.length > 0) return { status: 'COULD_NOT_EVALUATE', evidence: `${blind[0].ruleId}: ${blind[0].reason}${blind.length > 1 ? ` (and ${blind.length - 1} more)` : ''}`, findings: [] };
  if (running.length === 0) return { status: 'COULD_NOT_EVALUATE', evidence: `the rules judging it are disabled by the configuration: ${known.map((r) => r.id).join(', ')}`, findings: [] };
  const applies = running.filter((r) => (r.kinds === 'pod-bearing' ? [...kindsPresent].some((k) => POD_BEARING.has(k)) : r.kinds.some((k) => kindsPresent.has(k))));
  if (applies.length === 0) return { status: 'NOT_APPLICABLE', evidence: `the input holds no object that ${running.map((r) => r.id).join(', ')} judge`, findings: [] };
  return { status: 'PASS', evidence: `${applies.map((r) => r.id).join(', ')} found nothing in ${input.objects.length} objects`, findings: [] };
}

const WORSE: ControlStatus[] = ['FAIL', 'COULD_NOT_EVALUATE', 'PASS', 'MANUAL', 'NOT_APPLICABLE'];

function catalogView(framework: Framework, version: string, controls: CatalogControl[], refsOf: RefsOf, input: ViewInput): ComplianceReport {
  const kinds = new Set(input.objects.map((o) => o.kind ?? ""));
  const section = new Map(controls.map((c) => [c.id, { id: c.section, title: c.section }]));
  const out: ComplianceControl[] = controls.map((c) => {
    const v = ruleVerdict(c.id, refsOf, input, kinds);
    if (v) return { id: c.id, title: c.title, ...v };
    return { id: c.id, title: c.title, status: 'MANUAL', evidence: c.manual ?? 'no rule of kubeguard judges this control: a reviewer decides', findings: [] };
  });
  return { framework, version, controls: out, score: scoreControls(out, (c) => section.get(c.id)!) };
}

/** Control-plane command lines from the input's kube-system pods (static pods and their mirrors), as processes. */
function controlPlaneFacts(objects: readonly KubeObject[]): NodeFacts | undefined {
  const processes: ProcessEntry[] = [];
  for (const o of objects) {
    if (o.kind !== 'Pod' || (o.metadata?.namespace ?? '') !== 'kube-system') continue;
    const containers = ((o as { spec?: { containers?: { command?: string[]; args?: string[] }[] } }).spec?.containers ?? []);
    for (const c of containers) {
      const argv = [...(c.command ?? []), ...(c.args ?? [])].filter((a) => typeof a === 'string');
      if (argv.length === 0) continue;
      const comm = argv[0].slice(argv[0].lastIndexOf('/') + 1).slice(0, 15);
      if (!/^(kube-apiserver|kube-controller|kube-scheduler|etcd)$/.test(comm)) continue;
      processes.push({ pid: processes.length + 1, ppid: 0, user: 'root', comm, argv });
    }
  }
  if (processes.length === 0) return undefined;
  const hidden = () => {
    throw new FactError('file modes and owners are not in the API objects: run `kubeguard node check` on the control-plane nodes');
  };
  return { processes, description: 'the control-plane pods in the input', stat: hidden, exists: hidden, isDir: hidden, read: hidden, find: hidden, environ: () => undefined };
}

function cisView(input: ViewInput): ComplianceReport {
  const bench = loadBenchmark(input.benchmark ?? DEFAULT_CIS_BENCHMARK);
  const translate = cisTranslation(bench);
  const refsOf: RefsOf = (r) => (r.compliance?.cis ?? []).map((id) => translate.get(id) ?? `${RULES_CIS_BENCHMARK}:${id}`);
  const kinds = new Set(input.objects.map((o) => o.kind ?? ""));
  const facts = controlPlaneFacts(input.objects);
  const fromPods = new Map<string, CheckResult>();
  if (facts) for (const r of runControls(bench.files.filter((f) => ['master', 'etcd', 'controlplane'].includes(f.type)), bench.config, facts, { perComponent: true })) fromPods.set(r.id, r);
  const controls: ComplianceControl[] = [];
  const sections = new Map<string, { id: string; title: string }>();
  for (const file of bench.files) {
    for (const g of file.groups) {
      for (const check of g.checks) {
        if (sections.has(check.id)) continue; // one result per CIS id
        sections.set(check.id, { id: g.id, title: g.text });
        const candidates: { status: ControlStatus; evidence: string; findings: Finding[] }[] = [];
        const byRule = ruleVerdict(check.id, refsOf, input, kinds);
        if (byRule && byRule.status !== 'NOT_APPLICABLE') candidates.push(byRule);
        const pod = fromPods.get(check.id);
        if (pod && pod.status !== 'NOT_APPLICABLE') candidates.push({ status: pod.status, evidence: `from ${facts!.description}: ${pod.evidence}`, findings: [] });
        if (candidates.length === 0) {
          if (byRule) candidates.push(byRule);
          else if (check.type === 'manual') candidates.push({ status: 'MANUAL', evidence: 'a manual check: review it by hand', findings: [] });
          else if (file.type === 'node') candidates.push({ status: 'NOT_APPLICABLE', evidence: 'a node check: `kubeguard node check` evaluates it on each node', findings: [] });
          else if (file.type === 'policies') candidates.push({ status: 'MANUAL', evidence: 'no rule of kubeguard judges this recommendation: a reviewer decides', findings: [] });
          else candidates.push({ status: 'NOT_APPLICABLE', evidence: 'the input holds no control-plane pod (a managed control plane, or not scanned): `kubeguard node check` evaluates it on control-plane nodes', findings: [] });
        }
        candidates.sort((a, b) => WORSE.indexOf(a.status) - WORSE.indexOf(b.status));
        const best = candidates[0];
        controls.push({ id: check.id, title: check.text, status: best.status, evidence: candidates.map((c) => c.evidence).join(' | '), findings: best.status === 'FAIL' ? candidates.flatMap((c) => c.findings) : [] });
      }
    }
  }
  return { framework: 'cis', version: bench.name, controls, score: scoreControls(controls, (c) => sections.get(c.id)!) };
}

export function frameworkView(framework: Framework, input: ViewInput): ComplianceReport {
  switch (framework) {
    case 'cis':
      return cisView(input);
    case 'nsa':
      return catalogView('nsa', 'NSA/CISA Kubernetes Hardening Guide v1.2', NSA_CONTROLS, (r) => r.compliance?.nsa ?? [], input);
    case 'mitre':
      return catalogView('mitre', 'ATT&CK Containers matrix v15', MITRE_CONTROLS, (r) => r.compliance?.mitre ?? [], input);
    case 'pss-baseline':
    case 'pss-restricted': {
      const level = framework === 'pss-baseline' ? 'baseline' : 'restricted';
      return catalogView(framework, `Pod Security Standards ${level} (latest)`, pssControls(level), (r) => r.compliance?.pssChecks ?? [], input);
    }
  }
}
