/**
 * The benchmarks kubeguard ships (kube-bench's cfg/, embedded by scripts/gen-kube-bench.mjs; sources in
 * benchmarks/kube-bench/SOURCE.md) and their selection: by Kubernetes version through kube-bench's version_mapping,
 * or by managed platform (EKS, GKE, AKS profiles).
 */
import { KUBE_BENCH_BENCHMARKS, KUBE_BENCH_CONFIG } from '../../../generated/kube-bench-cfg.js';
import { SHIPPED_BENCHMARKS } from './shipped.js';
import { mergeConfig, parseConfig, parseControls, targetMapping, versionMapping, type BenchConfig, type ControlsFile, type NodeType } from './definitions.js';

export interface Benchmark {
  name: string;
  config: BenchConfig;
  files: ControlsFile[];
}

export { SHIPPED_BENCHMARKS };

const ORDER: NodeType[] = ['master', 'etcd', 'controlplane', 'node', 'policies', 'managedservices'];

export function loadBenchmark(name: string, texts: Record<string, string> | undefined = KUBE_BENCH_BENCHMARKS[name], baseConfig = KUBE_BENCH_CONFIG): Benchmark {
  if (!texts) throw new Error(`unknown benchmark ${JSON.stringify(name)}; shipped: ${SHIPPED_BENCHMARKS.join(', ')}`);
  let config = parseConfig(baseConfig);
  if (texts['config.yaml']) config = mergeConfig(config, parseConfig(texts['config.yaml']));
  const targets = targetMapping(config).get(name);
  const files = Object.entries(texts)
    .filter(([f]) => f !== 'config.yaml' && (!targets || targets.includes(f.replace(/\.yaml$/, ''))))
    .map(([, t]) => parseControls(t))
    .sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  return { name, config, files };
}

export type Platform = 'eks' | 'gke' | 'aks' | 'generic';

/** The newest shipped profile of a managed platform. */
const PLATFORM_BENCHMARK: Record<Exclude<Platform, 'generic'>, string> = { eks: 'eks-1.8.0', gke: 'gke-1.9.0', aks: 'aks-1.8' };

/**
 * kube-bench's choice (cmd/util.go getBenchmarkVersion / mapToBenchmarkVersion): the platform's profile, else the
 * version_mapping entry of the Kubernetes minor version, stepping down to older minors; a version newer than every
 * mapping gets the newest generic benchmark shipped (and says so).
 */
export function selectBenchmark(version: string | undefined, platform: Platform): { name: string; why: string } {
  if (platform !== 'generic') return { name: PLATFORM_BENCHMARK[platform], why: `the node runs on ${platform.toUpperCase()}` };
  const mapping = versionMapping(parseConfig(KUBE_BENCH_CONFIG));
  const m = version && /^v?(\d+)\.(\d+)/.exec(version);
  const newest = SHIPPED_BENCHMARKS.filter((b) => b.startsWith('cis-')).sort(byVersion).at(-1)!;
  if (!m) return { name: newest, why: 'the Kubernetes version is unknown: the newest CIS benchmark' };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const mappedMinors = [...mapping.keys()].map((k) => /^1\.(\d+)$/.exec(k)).filter((x) => x !== null).map((x) => Number(x[1]));
  if (major > 1 || minor > Math.max(...mappedMinors)) return { name: newest, why: `Kubernetes ${major}.${minor} is newer than every mapped version: the newest CIS benchmark, ${newest}` };
  for (let v = minor; v >= 0; v--) {
    const b = mapping.get(`${major}.${v}`);
    if (!b) continue;
    const as = v === minor ? '' : ` (mapped as ${major}.${v})`;
    if (SHIPPED_BENCHMARKS.includes(b)) return { name: b, why: `Kubernetes ${major}.${minor}${as} → ${b} (kube-bench version_mapping)` };
    return { name: newest, why: `Kubernetes ${major}.${minor}${as} maps to ${b}, which kubeguard does not ship: the newest CIS benchmark, ${newest}` };
  }
  return { name: newest, why: `no benchmark is mapped for Kubernetes ${major}.${minor}: the newest CIS benchmark, ${newest}` };
}

function byVersion(a: string, b: string): number {
  const n = (s: string) => s.replace(/^\D+/, '').split('.').map(Number);
  const [x, y] = [n(a), n(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * The managed platform a node belongs to, from its labels (the kubelet's --node-labels or the Node object) and its
 * kubelet version: EKS nodes carry `eks.amazonaws.com/…` labels and `-eks-` versions, GKE `cloud.google.com/gke-…`
 * labels and `-gke.` versions, AKS `kubernetes.azure.com/…` labels. Anything else is generic.
 */
export function detectPlatform(labels: Record<string, string>, version?: string): { platform: Platform; why: string } {
  const keys = Object.keys(labels);
  const label = (prefix: string) => keys.find((k) => k.startsWith(prefix));
  const eks = label('eks.amazonaws.com/') ?? (version && /-eks-/.test(version) ? `version ${version}` : undefined);
  if (eks) return { platform: 'eks', why: `EKS (${eks})` };
  const gke = label('cloud.google.com/gke') ?? (version && /-gke\./.test(version) ? `version ${version}` : undefined);
  if (gke) return { platform: 'gke', why: `GKE (${gke})` };
  const aks = label('kubernetes.azure.com/');
  if (aks) return { platform: 'aks', why: `AKS (${aks})` };
  return { platform: 'generic', why: 'no managed-platform label or version' };
}
