/** The names of the shipped benchmarks, without their definitions (which load only when a benchmark runs). */
import { KUBE_BENCH_NAMES } from '../../../generated/kube-bench-names.js';

export const SHIPPED_BENCHMARKS: readonly string[] = KUBE_BENCH_NAMES;
