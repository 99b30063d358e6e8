/**
 * The package model the matcher consumes, and how a package becomes a lookup query (ecosystem key, name,
 * version). Matching is by ecosystem + package name from the purl (or explicit fields), never by CPE guessing.
 *
 * ```ts
 * interface Package {
 *   name: string;            // binary / installed package name, e.g. "libssl3", "lodash", "github.com/x/y"
 *   version: string;         // installed version, e.g. "3.0.11-1~deb12u2", "4.17.20", "v1.2.3+incompatible"
 *   purl?: string;           // pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12
 *   ecosystem?: string;      // OSV ecosystem when known ("Debian:12", "Alpine:v3.19", "npm", "PyPI", "Go", "Maven")
 *   sourceName?: string;     // OS packages: the source package ("openssl" for libssl3); advisories are keyed by it
 *   sourceVersion?: string;  // OS packages: the source version when it differs (binNMU "+b1" builds)
 *   distro?: string;         // "debian-12", "ubuntu-22.04", "alpine-3.19.0", "rhel-9.3" (the purl `distro` qualifier)
 * }
 * ```
 * Explicit fields win over what the purl says. Debian/Ubuntu/Alpine advisories name source packages, so a binary
 * package is looked up under `sourceName` (or the purl's `upstream` qualifier) when there is one.
 */
import { PackageURL } from 'packageurl-js';
import { ecosystemBase, ecosystemKey, normalizeName } from './ecosystems.js';

/** OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field), before any ":release". */
const OSV_ECOSYSTEMS = new Set([
  'AlmaLinux', 'Alpine', 'Android', 'Bitnami', 'Chainguard', 'CRAN', 'crates.io', 'Debian', 'GHC', 'GitHub Actions', 'Go',
  'Hackage', 'Hex', 'Linux', 'Mageia', 'Maven', 'MinimOS', 'npm', 'NuGet', 'openSUSE', 'OSS-Fuzz', 'Packagist', 'Photon OS',
  'Pub', 'PyPI', 'Red Hat', 'Rocky Linux', 'RubyGems', 'SUSE', 'SwiftURL', 'Ubuntu', 'Wolfi',
]);

export interface Package {
  name: string;
  version: string;
  purl?: string;
  ecosystem?: string;
  sourceName?: string;
  sourceVersion?: string;
  distro?: string;
}

export interface PackageQuery {
  /** Lookup key, e.g. "Debian:12" (see ecosystemKey). */
  ecosystem: string;
  /** Normalised name to look up (the source package for distro packages). */
  name: string;
  /** Version to compare against advisory ranges. */
  version: string;
}

export type QueryResult = { ok: true; query: PackageQuery } | { ok: false; reason: string };

interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

export function parsePurl(purl: string): PurlParts | undefined {
  try {
    const p = PackageURL.fromString(purl);
    const q: Record<string, string> = {};
    if (p.qualifiers) for (const [k, v] of Object.entries(p.qualifiers)) if (typeof v === 'string') q[k] = v;
    return { type: p.type, namespace: p.namespace ?? undefined, name: p.name, version: p.version ?? undefined, qualifiers: q };
  } catch {
    return undefined;
  }
}

/** "debian-12" / "debian-12.4" → "Debian:12"; "ubuntu-22.04" → "Ubuntu:22.04"; "3.19.0" / "alpine-3.19.0" → "Alpine:v3.19". */
export function distroEcosystem(family: string, distro: string | undefined): string | undefined {
  if (!distro) return undefined;
  const d = distro.trim().toLowerCase();
  const version = d.replace(/^[a-z][a-z-]*?-(?=\d)/, '');
  const major = /^(\d+)/.exec(version)?.[1];
  const majorMinor = /^(\d+\.\d+)/.exec(version)?.[1];
  switch (family) {
    case 'debian':
      return major ? `Debian:${major}` : undefined;
    case 'ubuntu':
      return majorMinor ? `Ubuntu:${majorMinor}` : undefined;
    case 'alpine':
      return majorMinor ? `Alpine:v${majorMinor}` : undefined;
    case 'redhat':
    case 'rhel':
      return major ? `Red Hat:enterprise_linux:${major}` : undefined;
    case 'rocky':
      return major ? `Rocky Linux:${major}` : undefined;
    case 'almalinux':
    case 'alma':
      return major ? `AlmaLinux:${major}` : undefined;
    default:
      return undefined;
  }
}

/** The distro family implied by a `distro` qualifier ("debian-12" → "debian"); undefined for a bare version. */
function distroFamily(distro: string | undefined): string | undefined {
  const m = distro ? /^([a-z][a-z-]*?)-\d/i.exec(distro.trim()) : null;
  return m ? m[1].toLowerCase() : undefined;
}

/** Syft writes the source package as `upstream=openssl` or `upstream=openssl@3.0.11-1` (URL-decoded). */
function splitUpstream(upstream: string | undefined): { name?: string; version?: string } {
  if (!upstream) return {};
  const at = upstream.indexOf('@');
  if (at > 0) return { name: upstream.slice(0, at), version: upstream.slice(at + 1) };
  const space = upstream.indexOf(' ');
  if (space > 0) return { name: upstream.slice(0, space), version: upstream.slice(space + 1).replace(/^\(|\)$/g, '') };
  return { name: upstream };
}

/**
 * Binaries known by name and upstream version only (pkg:generic, as Syft and our node-binary analyzer write
 * them) that an OSV source tracks by upstream version: Bitnami's vulnerability database lists the Node.js runtime
 * as ecosystem "Bitnami", package "node", with SEMVER ranges of Node.js releases (its records carry the NVD CPE
 * nodejs:node.js; github.com/bitnami/vulndb data/node).
 */
const GENERIC_BINARIES: Record<string, { ecosystem: string; name: string }> = { node: { ecosystem: 'Bitnami', name: 'node' } };

function languageEcosystem(p: PurlParts): { ecosystem: string; name: string } | undefined {
  const ns = p.namespace;
  switch (p.type) {
    case 'npm':
      return { ecosystem: 'npm', name: ns ? `${ns}/${p.name}` : p.name };
    case 'pypi':
      return { ecosystem: 'PyPI', name: p.name };
    case 'golang':
      return { ecosystem: 'Go', name: ns ? `${ns}/${p.name}` : p.name };
    case 'maven':
      return ns ? { ecosystem: 'Maven', name: `${ns}:${p.name}` } : undefined;
    case 'cargo':
      return { ecosystem: 'crates.io', name: p.name };
    case 'gem':
      return { ecosystem: 'RubyGems', name: p.name };
    case 'nuget':
      return { ecosystem: 'NuGet', name: p.name };
    case 'composer':
      return { ecosystem: 'Packagist', name: ns ? `${ns}/${p.name}` : p.name };
    case 'hex':
      return { ecosystem: 'Hex', name: p.name };
    case 'pub':
      return { ecosystem: 'Pub', name: p.name };
    default:
      return undefined;
  }
}

/** Turns a package into the (ecosystem, name, version) to look up, or says why it cannot be matched. */
export function packageQuery(pkg: Package): QueryResult {
  const purl = pkg.purl ? parsePurl(pkg.purl) : undefined;
  if (pkg.purl && !purl) return { ok: false, reason: `unparseable purl ${pkg.purl}` };
  const version = pkg.sourceVersion ?? pkg.version ?? purl?.version;
  if (!version) return { ok: false, reason: 'no version' };

  // Only an OSV ecosystem name counts as one; a purl type ("deb", "pypi", "golang" — what the image analyzers
  // put in their own `ecosystem` field) is a hint the purl answers better.
  let ecosystem = pkg.ecosystem && OSV_ECOSYSTEMS.has(ecosystemBase(pkg.ecosystem)) ? pkg.ecosystem : undefined;
  let name = pkg.sourceName ?? pkg.name;
  let queryVersion = version;

  if (!ecosystem && purl) {
    const distro = pkg.distro ?? purl.qualifiers.distro;
    const upstream = splitUpstream(purl.qualifiers.upstream);
    if (purl.type === 'deb' || purl.type === 'apk' || purl.type === 'rpm') {
      const family = purl.type === 'apk' && !distroFamily(distro) ? (purl.namespace ?? 'alpine') : (distroFamily(distro) ?? purl.namespace ?? '');
      if (purl.type === 'apk' && (purl.namespace === 'wolfi' || purl.namespace === 'chainguard')) {
        ecosystem = purl.namespace === 'wolfi' ? 'Wolfi' : 'Chainguard';
      } else {
        ecosystem = distroEcosystem(family.toLowerCase(), distro);
        if (!ecosystem) return { ok: false, reason: `unknown distro release for ${pkg.purl} (distro=${distro ?? 'none'})` };
      }
      if (purl.type !== 'rpm') {
        name = pkg.sourceName ?? upstream.name ?? purl.name;
        queryVersion = pkg.sourceVersion ?? upstream.version ?? version;
      } else {
        // Red Hat-family advisories name binary packages with their own epoch:version-release
        name = purl.name;
        queryVersion = pkg.version ?? purl.version ?? version;
        const epoch = purl.qualifiers.epoch;
        if (epoch && !/^\d+:/.test(queryVersion)) queryVersion = `${epoch}:${queryVersion}`;
      }
    } else {
      const lang = languageEcosystem(purl);
      const binary = purl.type === 'generic' ? GENERIC_BINARIES[purl.name] : undefined;
      if (binary) return { ok: true, query: { ecosystem: ecosystemKey(binary.ecosystem), name: binary.name, version: queryVersion } };
      if (!lang) return { ok: false, reason: `unsupported purl type ${purl.type}` };
      ecosystem = lang.ecosystem;
      name = lang.name;
    }
  } else if (ecosystem && pkg.distro && !ecosystem.includes(':')) {
    // An explicit family ("Debian") plus a distro release.
    ecosystem = distroEcosystem(ecosystem.toLowerCase(), pkg.distro) ?? ecosystem;
  }
  if (!ecosystem) return { ok: false, reason: 'no ecosystem (give a purl or an ecosystem)' };
  const key = ecosystemKey(ecosystem);
  return { ok: true, query: { ecosystem: key, name: normalizeName(ecosystemBase(key), name), version: queryVersion } };
}
