import { apkAnalyzer } from './apk.js';
import { dpkgAnalyzer } from './dpkg.js';
import { goAnalyzer } from './go-buildinfo.js';
import { javaAnalyzer } from './java.js';
import { nodeBinaryAnalyzer } from './node-binary.js';
import { npmAnalyzer } from './npm.js';
import { OS_RELEASE_PATHS, detectOs } from './os-release.js';
import { pythonAnalyzer } from './python.js';
import { rpmAnalyzer } from './rpm.js';
import type { Analyzer, CapturedFile } from './types.js';
import type { LayeredFs } from '../fs/layered-fs.js';
import type { OsInfo, Package } from '../model.js';
import { appendAll } from '../../../core/append.js';

export const ANALYZERS: readonly Analyzer[] = [dpkgAnalyzer, apkAnalyzer, rpmAnalyzer, npmAnalyzer, nodeBinaryAnalyzer, pythonAnalyzer, goAnalyzer, javaAnalyzer];

/** Bytes of an entry's content any analyzer wants kept (0 = none). Paths are absolute in-image paths. */
const INTERESTING_NAMES = new Set(['os-release', 'alpine-release', 'debian_version', 'status', 'copyright', 'installed', 'rpmdb.sqlite', 'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'METADATA', 'PKG-INFO']);
const INTERESTING_EXTENSIONS = new Set(['egg-info', 'jar', 'war', 'ear', 'jpi', 'hpi', 'par', 'sar', 'nar']);
const DPKG_STATUS_D = '/var/lib/dpkg/status.d/';

export function analyzerWants(path: string, size: number): number {
  // Cheap pre-filter on the name (called for every file of every layer): almost every file of an image is of
  // no interest to any analyzer.
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (
    !INTERESTING_NAMES.has(path.slice(slash + 1)) &&
    !(dot > slash && INTERESTING_EXTENSIONS.has(path.slice(dot + 1).toLowerCase())) &&
    !path.startsWith(DPKG_STATUS_D)
  ) {
    return 0;
  }
  if (OS_RELEASE_PATHS.includes(path) || path === '/etc/alpine-release' || path === '/etc/debian_version') return 64 * 1024;
  let max = 0;
  for (const a of ANALYZERS) max = Math.max(max, a.wants(path, size));
  return max;
}

export interface PackageInventory {
  os?: OsInfo;
  packages: Package[];
  notes: string[];
}

/** Runs every analyzer over the captured files of a built filesystem. Pure. */
export function inventory(fs: LayeredFs): PackageInventory {
  const files: CapturedFile[] = [];
  for (const [path, node] of fs.walk((n) => n.type === 'file' && (n.content !== undefined || n.goBuildInfo !== undefined || n.nodeVersion !== undefined))) files.push({ path, node });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const os = detectOs(fs);
  const notes: string[] = [];
  const packages: Package[] = [];
  for (const a of ANALYZERS) {
    try {
      appendAll(packages, a.analyze({ fs, files, os, notes }));
    } catch (e) {
      notes.push(`analyzer ${a.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { os, packages, notes };
}
