/**
 * Java archives (jar, war, ear and plugin variants): Maven coordinates from
 * META-INF/maven/<groupId>/<artifactId>/pom.properties, else from META-INF/MANIFEST.MF main attributes
 * (JAR File Specification), else from the file name; nested archives (WEB-INF/lib, BOOT-INF/lib, lib/)
 * are opened recursively up to a depth and size bound.
 */
import { listZip, readZipEntry } from './zip-reader.js';
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi|par|sar|nar)$/i;
const MAX_ARCHIVE = 128 * 1024 * 1024;
const MAX_DEPTH = 3;
const MAX_META = 1024 * 1024;

export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** MANIFEST.MF main section: `Name: value`, 72-byte lines continued with a leading space. */
export function parseManifest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // end of the main section
    if (line.startsWith(' ') && last) {
      out[last] += line.slice(1);
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) continue;
    last = line.slice(0, c).trim();
    out[last] = line.slice(c + 1).trim();
  }
  return out;
}

function fromFileName(path: string): { artifactId: string; version: string } | undefined {
  const base = path.split(/[/!]/).pop()!.replace(ARCHIVE, '');
  const m = /^(.+?)-(\d[\w.+-]*)$/.exec(base);
  return m ? { artifactId: m[1], version: m[2] } : undefined;
}

function mavenPackage(groupId: string | undefined, artifactId: string, version: string, location: string, layer: number, licenses: string[] = []): Package {
  return {
    ecosystem: 'maven',
    name: groupId ? `${groupId}:${artifactId}` : artifactId,
    version,
    purl: purl('maven', groupId, artifactId, version),
    licenses,
    locations: [{ path: location, layer }],
  };
}

function analyzeArchive(buf: Buffer, location: string, layer: number, depth: number, out: Package[], notes: string[]): void {
  let entries;
  try {
    entries = listZip(buf);
  } catch (e) {
    notes.push(`${location}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const found: Package[] = [];
  let manifest: Record<string, string> | undefined;
  for (const e of entries) {
    try {
      if (/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(e.name)) {
        const p = parseProperties(readZipEntry(buf, e, MAX_META).toString('utf8'));
        if (p.artifactId && p.version) found.push(mavenPackage(p.groupId, p.artifactId, p.version, location, layer));
      } else if (e.name.toUpperCase() === 'META-INF/MANIFEST.MF') {
        manifest = parseManifest(readZipEntry(buf, e, MAX_META).toString('utf8'));
      } else if (ARCHIVE.test(e.name) && depth < MAX_DEPTH) {
        analyzeArchive(readZipEntry(buf, e, MAX_ARCHIVE), `${location}!/${e.name}`, layer, depth + 1, out, notes);
      }
    } catch (err) {
      notes.push(`${location}!/${e.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (found.length === 0) {
    const m = manifest ?? {};
    const byName = fromFileName(location);
    const artifactId = m['Implementation-Title'] && byName ? byName.artifactId : (m['Bundle-SymbolicName']?.split(';')[0] ?? byName?.artifactId);
    const version = m['Implementation-Version'] ?? m['Bundle-Version'] ?? byName?.version;
    const groupId = m['Implementation-Vendor-Id'] ?? m['Automatic-Module-Name']?.split('.').slice(0, -1).join('.');
    if (artifactId && version) found.push(mavenPackage(groupId || undefined, artifactId, version, location, layer, m['Bundle-License'] ? [m['Bundle-License']] : []));
  }
  out.push(...found);
}

export const javaAnalyzer: Analyzer = {
  name: 'java',
  wants: (path, size) => (ARCHIVE.test(path) && size <= MAX_ARCHIVE ? size : 0),
  analyze({ files, notes }: AnalyzerInput): Package[] {
    const out: Package[] = [];
    for (const f of files) {
      if (ARCHIVE.test(f.path) && f.node.content) analyzeArchive(f.node.content, f.path, f.node.layer, 0, out, notes);
    }
    return out;
  },
};
