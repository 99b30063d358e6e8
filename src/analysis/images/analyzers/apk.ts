/**
 * apk installed database, /lib/apk/db/installed (apk-tools doc/apk-v2 "installed database"): blank-line
 * separated records of single-letter fields: P name, V version, A arch, L licence, o origin (source package).
 */
import { distroQualifier } from './os-release.js';
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

const DB = '/lib/apk/db/installed';

export const apkAnalyzer: Analyzer = {
  name: 'apk',
  wants: (path) => (path === DB ? 64 * 1024 * 1024 : 0),
  analyze({ files, os }: AnalyzerInput): Package[] {
    const out: Package[] = [];
    const distro = distroQualifier(os);
    for (const f of files) {
      if (f.path !== DB || !f.node.content) continue;
      for (const block of f.node.content.toString('utf8').split(/\n\s*\n/)) {
        const rec: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.length > 2 && line[1] === ':' && !(line[0] in rec)) rec[line[0]] = line.slice(2);
        }
        if (!rec.P || !rec.V) continue;
        out.push({
          ecosystem: 'apk',
          name: rec.P,
          version: rec.V,
          purl: purl('apk', os?.id === 'alpine' || !os ? 'alpine' : os.id, rec.P, rec.V, { arch: rec.A, distro }),
          sourceName: rec.o,
          sourceVersion: rec.o ? rec.V : undefined,
          licenses: rec.L ? [rec.L] : [],
          locations: [{ path: f.path, layer: f.node.layer }],
          arch: rec.A,
        });
      }
    }
    return out;
  },
};
