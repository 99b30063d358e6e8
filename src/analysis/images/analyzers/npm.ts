/**
 * npm packages: installed ones (`node_modules/<name>/package.json`, `node_modules/@scope/<name>/package.json`)
 * and lockfiles (`package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 2/3 `packages` map; v1
 * `dependencies` tree) of applications. https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json
 */
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

const INSTALLED = /\/node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/;
const LOCKFILE = /\/(?:package-lock|npm-shrinkwrap)\.json$/;

function licenseOf(pj: Record<string, unknown>): string[] {
  const l = pj.license;
  if (typeof l === 'string') return [l];
  if (l && typeof l === 'object' && typeof (l as { type?: unknown }).type === 'string') return [(l as { type: string }).type];
  if (Array.isArray(pj.licenses)) {
    return pj.licenses.flatMap((x: unknown) =>
      typeof x === 'string' ? [x] : x && typeof x === 'object' && typeof (x as { type?: unknown }).type === 'string' ? [(x as { type: string }).type] : [],
    );
  }
  return [];
}

export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0 ? purl('npm', name.slice(0, slash), name.slice(slash + 1), version) : purl('npm', undefined, name, version);
}

function parseJson(buf: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fromLockfile(lock: Record<string, unknown>): { name: string; version: string; license?: string }[] {
  const out: { name: string; version: string; license?: string }[] = [];
  const packages = lock.packages;
  if (packages && typeof packages === 'object') {
    for (const [key, raw] of Object.entries(packages as Record<string, unknown>)) {
      if (key === '' || !raw || typeof raw !== 'object') continue;
      const e = raw as Record<string, unknown>;
      if (e.link === true) continue;
      const idx = key.lastIndexOf('node_modules/');
      const name = typeof e.name === 'string' ? e.name : idx >= 0 ? key.slice(idx + 'node_modules/'.length) : undefined;
      if (!name || typeof e.version !== 'string') continue;
      out.push({ name, version: e.version, license: typeof e.license === 'string' ? e.license : undefined });
    }
    return out;
  }
  const walk = (deps: unknown): void => {
    if (!deps || typeof deps !== 'object') return;
    for (const [name, raw] of Object.entries(deps as Record<string, unknown>)) {
      const e = raw as Record<string, unknown>;
      if (typeof e?.version === 'string' && !e.version.startsWith('file:')) out.push({ name, version: e.version });
      walk(e?.dependencies);
    }
  };
  walk(lock.dependencies);
  return out;
}

export const npmAnalyzer: Analyzer = {
  name: 'npm',
  wants(path, size) {
    if (INSTALLED.test(path)) return 1024 * 1024;
    if (LOCKFILE.test(path) && !path.includes('/node_modules/')) return size <= 64 * 1024 * 1024 ? size : 0;
    return 0;
  },
  analyze({ files, notes }: AnalyzerInput): Package[] {
    const byPurl = new Map<string, Package>();
    const add = (name: string, version: string, licenses: string[], path: string, layer: number): void => {
      const p = npmPurl(name, version);
      const existing = byPurl.get(p);
      if (existing) {
        existing.locations.push({ path, layer });
        if (!existing.licenses.length) existing.licenses = licenses;
        return;
      }
      byPurl.set(p, { ecosystem: 'npm', name, version, purl: p, licenses, locations: [{ path, layer }] });
    };
    for (const f of files) {
      if (!f.node.content) continue;
      if (INSTALLED.test(f.path)) {
        const pj = parseJson(f.node.content);
        if (!pj) {
          notes.push(`${f.path}: invalid JSON`);
          continue;
        }
        if (typeof pj.name === 'string' && typeof pj.version === 'string') add(pj.name, pj.version, licenseOf(pj), f.path, f.node.layer);
      } else if (LOCKFILE.test(f.path) && !f.path.includes('/node_modules/')) {
        const lock = parseJson(f.node.content);
        if (!lock) {
          notes.push(`${f.path}: invalid JSON`);
          continue;
        }
        for (const e of fromLockfile(lock)) add(e.name, e.version, e.license ? [e.license] : [], f.path, f.node.layer);
      }
    }
    return [...byPurl.values()];
  },
};
