/** /etc/os-release (freedesktop os-release(5)): KEY=value lines, values optionally quoted with shell escapes. */
import type { LayeredFs } from '../fs/layered-fs.js';
import type { OsInfo } from '../model.js';

export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'];

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let v = line.slice(eq + 1);
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    out[line.slice(0, eq)] = v;
  }
  return out;
}

export function detectOs(fs: LayeredFs): OsInfo | undefined {
  for (const p of OS_RELEASE_PATHS) {
    const buf = fs.readFile(p);
    if (!buf) continue;
    const kv = parseOsRelease(buf.toString('utf8'));
    if (!kv.ID) continue;
    const info: OsInfo = { id: kv.ID.toLowerCase() };
    if (kv.VERSION_ID) info.versionId = kv.VERSION_ID;
    if (kv.VERSION_CODENAME) info.versionCodename = kv.VERSION_CODENAME;
    if (kv.PRETTY_NAME) info.prettyName = kv.PRETTY_NAME;
    if (kv.ID_LIKE) info.idLike = kv.ID_LIKE.split(/\s+/).filter(Boolean);
    // Debian's os-release omits the point release; /etc/debian_version has it (12.5). Keep VERSION_ID for distro.
    return info;
  }
  return undefined;
}

/** The purl `distro` qualifier: `debian-12`, `ubuntu-22.04`, `rhel-9.3`; Alpine uses the bare version (3.19.0). */
export function distroQualifier(os: OsInfo | undefined): string | undefined {
  if (!os?.versionId) return undefined;
  if (os.id === 'alpine') return os.versionId;
  return `${os.id}-${os.versionId}`;
}
