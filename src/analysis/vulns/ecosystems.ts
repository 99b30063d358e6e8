/**
 * Ecosystems: how an OSV `affected[].package.ecosystem` string and a package URL map onto one lookup key, and
 * which version scheme orders that ecosystem. Distro ecosystems carry the release (`Debian:12`, `Alpine:v3.19`,
 * `Ubuntu:22.04`), so a Debian 12 advisory can never match an Alpine or a Debian 11 package.
 */
import { apkScheme } from './versions/apk.js';
import { dpkgScheme } from './versions/dpkg.js';
import { goScheme } from './versions/go.js';
import { mavenScheme } from './versions/maven.js';
import { npmScheme, semverScheme } from './versions/npm.js';
import { pep440Scheme } from './versions/pep440.js';
import { rpmScheme } from './versions/rpm.js';
import type { VersionScheme } from './versions/scheme.js';

/** The part before the first colon: "Debian:12" → "Debian". */
export function ecosystemBase(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

/**
 * The lookup key of an OSV ecosystem string. Identity for most; Ubuntu drops the `:LTS` marker
 * (`Ubuntu:22.04:LTS` → `Ubuntu:22.04`), old Debian releases drop `.0` (`Debian:4.0` → `Debian:4`), Red Hat drops the repository stream
 * (`Red Hat:enterprise_linux:9::appstream` → `Red Hat:enterprise_linux:9`).
 */
export function ecosystemKey(ecosystem: string): string {
  const e = ecosystem.trim();
  const base = ecosystemBase(e);
  if (base === 'Ubuntu') return e.replace(/:LTS$/, '');
  // Old Debian releases are written "Debian:4.0" … "Debian:6.0"; packages say "debian-4".
  if (base === 'Debian') return e.replace(/^Debian:(\d+)\.0$/, 'Debian:$1');
  if (base === 'Red Hat') {
    const parts = e.split(':');
    return parts.slice(0, 3).join(':');
  }
  return e;
}

/** Package names as the ecosystem compares them (PyPI: PEP 503 normalisation; the rest verbatim). */
export function normalizeName(ecosystem: string, name: string): string {
  const base = ecosystemBase(ecosystem);
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
}

const SCHEMES: Record<string, VersionScheme> = {
  Debian: dpkgScheme,
  Ubuntu: dpkgScheme,
  Alpine: apkScheme,
  Wolfi: apkScheme,
  Chainguard: apkScheme,
  'Red Hat': rpmScheme,
  'Rocky Linux': rpmScheme,
  AlmaLinux: rpmScheme,
  npm: npmScheme,
  'crates.io': semverScheme,
  Go: goScheme,
  PyPI: pep440Scheme,
  Maven: mavenScheme,
};

/** The version ordering of an ecosystem, or undefined when kubeguard has none (only `versions` lists can match). */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  return SCHEMES[ecosystemBase(ecosystem)];
}

/** The ordering of an OSV range: ECOSYSTEM → the ecosystem's own; SEMVER → SemVer 2.0 (Go's variant for Go). */
export function schemeForRange(rangeType: string, ecosystem: string): VersionScheme | undefined {
  if (rangeType === 'SEMVER') return ecosystemBase(ecosystem) === 'Go' ? goScheme : semverScheme;
  if (rangeType === 'ECOSYSTEM') return schemeFor(ecosystem);
  return undefined; // GIT ranges are commit ids: not usable for package versions
}
