/**
 * Installed Python distributions: `*.dist-info/METADATA` (PEP 376/PEP 566 core metadata) and
 * `*.egg-info/PKG-INFO` or a bare `*.egg-info` file. Names are normalised per PEP 503 by the pypi purl type.
 */
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

const META = /\/[^/]+\.dist-info\/METADATA$|\/[^/]+\.egg-info\/PKG-INFO$|\/[^/]+\.egg-info$/;

/** META, with a cheap suffix check first: the regex backtracks at every slash of every captured path. */
function isMetadata(path: string): boolean {
  return (path.endsWith('/METADATA') || path.endsWith('/PKG-INFO') || path.endsWith('.egg-info')) && META.test(path);
}

/** RFC 822-style headers up to the first blank line (the body is the description). */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      const vals = out.get(last)!;
      vals[vals.length - 1] += '\n' + line.trim();
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) continue;
    last = line.slice(0, c).toLowerCase();
    const vals = out.get(last) ?? [];
    vals.push(line.slice(c + 1).trim());
    out.set(last, vals);
  }
  return out;
}

function licensesOf(h: Map<string, string[]>): string[] {
  const expr = h.get('license-expression')?.[0];
  if (expr) return [expr];
  const lic = h.get('license')?.[0];
  // Some projects paste the whole licence text into License:; keep only short values.
  if (lic && lic !== 'UNKNOWN' && !lic.includes('\n') && lic.length <= 100) return [lic];
  const fromClassifiers = (h.get('classifier') ?? [])
    .filter((c) => c.startsWith('License ::'))
    .map((c) => c.split('::').pop()!.trim())
    .filter((c) => c !== 'OSI Approved');
  return fromClassifiers;
}

export const pythonAnalyzer: Analyzer = {
  name: 'python',
  wants: (path) => (isMetadata(path) ? 2 * 1024 * 1024 : 0),
  analyze({ files }: AnalyzerInput): Package[] {
    const out: Package[] = [];
    for (const f of files) {
      if (!isMetadata(f.path) || !f.node.content) continue;
      const h = parseCoreMetadata(f.node.content.toString('utf8'));
      const name = h.get('name')?.[0];
      const version = h.get('version')?.[0];
      if (!name || !version) continue;
      out.push({
        ecosystem: 'pypi',
        name,
        version,
        purl: purl('pypi', undefined, name.toLowerCase().replace(/[-_.]+/g, '-'), version),
        licenses: licensesOf(h),
        locations: [{ path: f.path, layer: f.node.layer }],
      });
    }
    return out;
  },
};
