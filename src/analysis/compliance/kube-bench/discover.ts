/**
 * kube-bench's variable substitution (cmd/common.go runChecks, cmd/util.go getBinaries/getFiles), answered from
 * node facts: `$<component>bin` is the first candidate binary that runs (verifyBin: `ps -C <first word>` lines
 * whose command starts with the binary, after any directories), `$<component>conf|svc|kubeconfig|cafile|datadir` the first candidate
 * file that exists, else the `default…` setting, else the component's name.
 *
 * One deliberate difference (kube-bench#808: fixed paths give false FAILs on other distributions): where the running
 * component names the file on its own command line (kubelet --config, --kubeconfig, --client-ca-file; kube-proxy
 * --kubeconfig, --config), that file is the one checked, and the evidence says so.
 */
import { componentsOf, type BenchConfig, type ComponentConfig, type NodeType } from './definitions.js';
import { KUBELET_CONFIGZ, type NodeFacts, type ProcessEntry } from './facts.js';

export type VariableKind = 'bin' | 'conf' | 'svc' | 'kubeconfig' | 'cafile' | 'datadir';
const KINDS: readonly VariableKind[] = ['kubeconfig', 'datadir', 'cafile', 'conf', 'svc', 'bin'];

export interface Resolved {
  value: string;
  /** How it was found, for evidence. */
  how: string;
}

export interface ComponentView {
  name: string;
  config: ComponentConfig;
  /** The running binary (candidate as written, e.g. "kube-apiserver"), when one runs. */
  bin?: string;
  processes: ProcessEntry[];
}

/** The components of one target on this node, and its variables. */
export class Discovery {
  readonly components = new Map<string, ComponentView>();

  constructor(
    readonly facts: NodeFacts,
    config: BenchConfig,
    readonly type: NodeType,
  ) {
    for (const [name, c] of componentsOf(config, type)) {
      let bin: string | undefined;
      let processes: ProcessEntry[] = [];
      for (const candidate of c.bins) {
        const found = runningAs(facts.processes, candidate);
        if (found.length > 0) {
          bin = candidate;
          processes = found;
          break;
        }
      }
      this.components.set(name, { name, config: c, bin, processes });
    }
  }

  /** The non-optional components with binaries that do not run here (kube-bench: "unable to detect running programs"). */
  missing(): string[] {
    return [...this.components.values()].filter((c) => c.config.bins.length > 0 && !c.config.optional && !c.bin).map((c) => c.name);
  }

  /** `$apiserverbin`, `$kubeletconf`, … ; undefined for a name that is no component's variable. */
  resolve(variable: string): Resolved | undefined {
    for (const kind of KINDS) {
      if (!variable.endsWith(kind)) continue;
      const c = this.components.get(variable.slice(0, -kind.length));
      if (c) return this.resolveKind(c, kind);
    }
    return undefined;
  }

  private resolveKind(c: ComponentView, kind: VariableKind): Resolved {
    if (kind === 'bin') return c.bin ? { value: c.bin, how: `the running ${c.bin} process` } : { value: c.name, how: `no ${c.name} process runs` };
    const own = this.fromCommandLine(c, kind);
    if (own) return own;
    const [list, dflt] = {
      conf: [c.config.confs, c.config.defaultconf],
      svc: [c.config.svc, c.config.defaultsvc],
      kubeconfig: [c.config.kubeconfig, c.config.defaultkubeconfig],
      cafile: [c.config.cafile, c.config.defaultcafile],
      datadir: [c.config.datadirs, c.config.defaultdatadir],
    }[kind] as [string[], string | undefined];
    const first = list.find((p) => this.facts.exists(p));
    if (first) return { value: first, how: `the first of kube-bench's ${kind} candidates that exists` };
    if (dflt !== undefined) return { value: dflt, how: `kube-bench's default ${kind} (no candidate exists)` };
    return { value: c.name, how: `no ${kind} candidate exists` };
  }

  private fromCommandLine(c: ComponentView, kind: VariableKind): Resolved | undefined {
    if (c.name === 'kubelet' && kind === 'conf' && this.facts.kubeletConfigz) return { value: KUBELET_CONFIGZ, how: "the kubelet's effective configuration from /configz through the API server's node proxy" };
    const flags = OWN_FLAGS[c.name]?.[kind];
    if (!flags) return undefined;
    for (const p of c.processes) {
      for (const flag of flags) {
        const v = flagValue(p.argv, flag);
        if (v) return { value: v, how: `${flag} on the ${c.bin} command line (pid ${p.pid})` };
      }
    }
    if (c.name === 'kubelet' && kind === 'cafile') {
      const conf = this.resolveKind(c, 'conf');
      const text = this.facts.read(conf.value);
      const m = text && /clientCAFile:\s*["']?([^\s"']+)/.exec(text);
      if (m) return { value: m[1], how: `authentication.x509.clientCAFile in ${conf.value}` };
    }
    return undefined;
  }
}

const OWN_FLAGS: Record<string, Partial<Record<VariableKind, string[]>>> = {
  kubelet: { conf: ['--config'], kubeconfig: ['--kubeconfig'], cafile: ['--client-ca-file'] },
  proxy: { conf: ['--config'], kubeconfig: ['--kubeconfig'] },
  etcd: { datadir: ['--data-dir'] },
};

/** The value of `--flag=v` or `--flag v` in an argument vector. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i].startsWith(`${flag}=`)) return argv[i].slice(flag.length + 1);
    if (argv[i] === flag && i + 1 < argv.length && !argv[i + 1].startsWith('-')) return argv[i + 1];
  }
  return undefined;
}

/** kube-bench verifyBin: `ps -C <first word> -o cmd` lines that start with BIN after any directories. */
export function runningAs(processes: readonly ProcessEntry[], bin: string): ProcessEntry[] {
  const clean = bin.replace(/^['"]+|['"]+$/g, '');
  const first = clean.split(/\s+/)[0];
  const re = new RegExp(`^(\\S*/)*${clean.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  return processes.filter((p) => commMatches(p.comm, first) && re.test(p.argv.join(' ')));
}

/** `ps -C NAME` compares the kernel's command name, which holds at most 15 characters. */
export function commMatches(comm: string, name: string): boolean {
  return comm === name.slice(0, 15);
}
