/**
 * dpkg database: /var/lib/dpkg/status (Debian, Ubuntu) and /var/lib/dpkg/status.d/<pkg> (distroless images
 * write one status paragraph per file). Licences come from machine-readable copyright files
 * (DEP-5, https://dep-team.pages.debian.net/deps/dep5/) in /usr/share/doc/<pkg>/copyright.
 */
import { distroQualifier } from './os-release.js';
import { parseParagraphs } from './control-file.js';
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';
const COPYRIGHT = /^\/usr\/share\/doc\/([^/]+)\/copyright$/;

function isStatusFile(path: string): boolean {
  if (path === STATUS) return true;
  return path.startsWith(STATUS_D) && !path.slice(STATUS_D.length).includes('/') && !path.endsWith('.md5sums');
}

/** `Source: name (version)` or `Source: name`. */
export function parseSourceField(v: string | undefined): { name?: string; version?: string } {
  if (!v) return {};
  const m = /^(\S+)(?:\s+\((\S+)\))?/.exec(v.trim());
  return m ? { name: m[1], version: m[2] } : {};
}

/** The licence short names of a DEP-5 copyright file, in order of first appearance. */
export function copyrightLicenses(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(/^License:[ \t]*(\S[^\n]*)$/gm)) {
    const v = m[1].trim();
    if (v) seen.add(v);
  }
  return [...seen];
}

export const dpkgAnalyzer: Analyzer = {
  name: 'dpkg',
  wants(path) {
    if (isStatusFile(path)) return 64 * 1024 * 1024;
    if (COPYRIGHT.test(path)) return 1024 * 1024; // chromium's is 284 KiB
    return 0;
  },
  analyze({ files, os }: AnalyzerInput): Package[] {
    const licenses = new Map<string, string[]>();
    for (const f of files) {
      const m = COPYRIGHT.exec(f.path);
      if (m && f.node.content) licenses.set(m[1], copyrightLicenses(f.node.content.toString('utf8')));
    }
    const namespace = os?.id === 'ubuntu' ? 'ubuntu' : 'debian';
    const distro = distroQualifier(os);
    const out: Package[] = [];
    for (const f of files) {
      if (!isStatusFile(f.path) || !f.node.content) continue;
      for (const p of parseParagraphs(f.node.content.toString('utf8'))) {
        const name = p.Package;
        const version = p.Version;
        if (!name || !version) continue;
        const status = (p.Status ?? 'install ok installed').split(/\s+/);
        if (status[status.length - 1] !== 'installed') continue;
        const src = parseSourceField(p.Source);
        const arch = p.Architecture;
        out.push({
          ecosystem: 'deb',
          name,
          version,
          purl: purl('deb', namespace, name, version, { arch, distro }),
          sourceName: src.name ?? name,
          sourceVersion: src.version ?? version,
          licenses: licenses.get(name) ?? [],
          locations: [{ path: f.path, layer: f.node.layer }],
          arch,
        });
      }
    }
    return out;
  },
};
