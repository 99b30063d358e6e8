/**
 * kube-bench check definitions read as data (aquasecurity/kube-bench cfg/<benchmark>/<target>.yaml and
 * cfg/config.yaml). Field names and defaults are kube-bench's (check/check.go Check, check/test.go testItem,
 * check/controls.go Controls/Group): yaml.v2 decodes every scalar of a string field as its source text, so
 * `value: 0600` stays "0600" and `value: false` is "false"; here the failsafe schema does the same, and booleans
 * are read with YAML 1.1's spellings as yaml.v2 reads them. `set` defaults to true (testItem.UnmarshalYAML).
 */
import yaml from 'js-yaml';

export type NodeType = 'master' | 'node' | 'etcd' | 'controlplane' | 'policies' | 'managedservices';
export const NODE_TYPES: readonly NodeType[] = ['master', 'etcd', 'controlplane', 'node', 'policies', 'managedservices'];

export interface TestItem {
  flag: string;
  path: string;
  env: string;
  /** true: the flag must be present (and pass `compare` when one is given); false: it must be absent. */
  set: boolean;
  compare: { op: string; value: string };
}

export interface BenchmarkCheck {
  id: string;
  text: string;
  /** '' (automated), 'manual' or 'skip'. */
  type: string;
  audit: string;
  auditConfig: string;
  auditEnv: string;
  tests?: { binOp: string; items: TestItem[] };
  remediation: string;
  scored: boolean;
  /** Every line of the audit output must pass (use_multiple_values). */
  multiple: boolean;
  disableEnvTesting: boolean;
}

export interface CheckGroup {
  id: string;
  text: string;
  type: string;
  checks: BenchmarkCheck[];
}

/** One target file (master, node, …): kube-bench's Controls. */
export interface ControlsFile {
  id: string;
  version: string;
  text: string;
  type: NodeType;
  groups: CheckGroup[];
}

type Raw = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** yaml.v2's YAML 1.1 booleans. */
export function yamlBool(v: unknown, dflt = false): boolean {
  if (typeof v !== 'string') return dflt;
  const s = v.trim();
  if (/^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(s)) return true;
  if (/^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(s)) return false;
  return dflt;
}

function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function testItem(raw: unknown): TestItem {
  const r = obj(raw);
  const c = obj(r.compare);
  return { flag: str(r.flag), path: str(r.path), env: str(r.env), set: yamlBool(r.set, true), compare: { op: str(c.op), value: str(c.value) } };
}

function check(raw: unknown): BenchmarkCheck {
  const r = obj(raw);
  const t = r.tests === undefined || r.tests === null || r.tests === '' ? undefined : obj(r.tests);
  return {
    id: str(r.id),
    text: str(r.text),
    type: str(r.type).trim(),
    audit: str(r.audit),
    auditConfig: str(r.audit_config),
    auditEnv: str(r.audit_env),
    tests: t && { binOp: str(t.bin_op), items: list(t.test_items).map(testItem) },
    remediation: str(r.remediation),
    scored: yamlBool(r.scored),
    multiple: yamlBool(r.use_multiple_values),
    disableEnvTesting: yamlBool(r.disableenvtesting),
  };
}

/** Parses one target file of a benchmark; throws when it is not a kube-bench controls file. */
export function parseControls(text: string): ControlsFile {
  const r = obj(yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }));
  const type = str(r.type) as NodeType;
  if (!NODE_TYPES.includes(type)) throw new Error(`not a kube-bench controls file: type "${str(r.type)}"`);
  return {
    id: str(r.id),
    version: str(r.version),
    text: str(r.text),
    type,
    groups: list(r.groups).map((g) => {
      const gr = obj(g);
      return { id: str(gr.id), text: str(gr.text), type: str(gr.type).trim(), checks: list(gr.checks).map(check) };
    }),
  };
}

/** kube-bench's cfg/config.yaml (and a benchmark's own config.yaml merged over it, as viper's MergeInConfig does). */
export type BenchConfig = Raw;

export function parseConfig(text: string): BenchConfig {
  return obj(yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }));
}

/** Deep merge of maps, the later value winning (lists and scalars are replaced). */
export function mergeConfig(base: BenchConfig, over: BenchConfig): BenchConfig {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? mergeConfig(b as Raw, v as Raw) : v;
  }
  return out;
}

/** One component's settings in a node type's section (e.g. node.kubelet). */
export interface ComponentConfig {
  bins: string[];
  confs: string[];
  defaultconf?: string;
  svc: string[];
  defaultsvc?: string;
  kubeconfig: string[];
  defaultkubeconfig?: string;
  cafile: string[];
  defaultcafile?: string;
  datadirs: string[];
  defaultdatadir?: string;
  optional: boolean;
}

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string');
}

function optStr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The components of a node type (config.yaml `<type>.components`) with their settings. */
export function componentsOf(config: BenchConfig, type: NodeType): Map<string, ComponentConfig> {
  const section = obj(config[type]);
  const out = new Map<string, ComponentConfig>();
  for (const name of strings(section.components)) {
    const c = obj(section[name]);
    out.set(name, {
      bins: strings(c.bins),
      confs: strings(c.confs),
      defaultconf: optStr(c.defaultconf),
      svc: strings(c.svc),
      defaultsvc: optStr(c.defaultsvc),
      kubeconfig: strings(c.kubeconfig),
      defaultkubeconfig: optStr(c.defaultkubeconfig),
      cafile: strings(c.cafile),
      defaultcafile: optStr(c.defaultcafile),
      datadirs: strings(c.datadirs),
      defaultdatadir: optStr(c.defaultdatadir),
      optional: yamlBool(c.optional),
    });
  }
  return out;
}

/** `version_mapping` (Kubernetes minor or platform key → benchmark) and `target_mapping` (benchmark → targets). */
export function versionMapping(config: BenchConfig): Map<string, string> {
  return new Map(Object.entries(obj(config.version_mapping)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function targetMapping(config: BenchConfig): Map<string, string[]> {
  return new Map(Object.entries(obj(config.target_mapping)).map(([k, v]) => [k, strings(v)]));
}
