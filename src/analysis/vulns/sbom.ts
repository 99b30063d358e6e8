/**
 * SBOM readers: CycloneDX JSON (1.2–1.6) and SPDX JSON (2.2/2.3) documents → the matcher's package list.
 * Input is the parsed JSON (reading files is the caller's job). Only components that carry a purl become packages
 * (files, the image itself and purl-less entries cannot be matched by ecosystem and name); they are counted.
 *
 * Source packages: Trivy writes `aquasecurity:trivy:SrcName` / `SrcVersion` / `SrcRelease` / `SrcEpoch`
 * properties, Syft an `upstream` purl qualifier (read by package.ts) and, in SPDX, `sourceInfo`
 * ("built package from: openssl 3.0.11-1~deb12u2"). The OS component (CycloneDX `operating-system`) gives the
 * distro when purls lack the `distro` qualifier.
 */
import type { Package } from './package.js';
import { isJsonMap as isObj } from '../../core/json.js';

export interface SbomPackages {
  format: 'cyclonedx' | 'spdx';
  packages: Package[];
  /** JSON pointer of each package in the SBOM document (parallel to `packages`), for finding paths/lines. */
  pointers: string[];
  /** Entries without a purl (files, the root artifact, unidentified packages). */
  skipped: number;
  /** The operating system the SBOM names, as "debian-12.4", when it names one. */
  distro?: string;
}

export class SbomParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SbomParseError';
  }
}

type Json = Record<string, unknown>;
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);

export function detectSbomFormat(doc: unknown): 'cyclonedx' | 'spdx' | undefined {
  if (!isObj(doc)) return undefined;
  if (doc.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (typeof doc.spdxVersion === 'string') return 'spdx';
  return undefined;
}

export function readSbom(doc: unknown): SbomPackages {
  const format = detectSbomFormat(doc);
  if (format === 'cyclonedx') return readCycloneDx(doc as Json);
  if (format === 'spdx') return readSpdx(doc as Json);
  throw new SbomParseError('not a CycloneDX ("bomFormat": "CycloneDX") or SPDX ("spdxVersion") JSON document');
}

function properties(c: Json): Map<string, string> {
  const m = new Map<string, string>();
  if (Array.isArray(c.properties)) {
    for (const p of c.properties) if (isObj(p) && str(p.name) && typeof p.value === 'string') m.set(p.name as string, p.value);
  }
  return m;
}

function trivySource(props: Map<string, string>): { sourceName?: string; sourceVersion?: string } {
  const name = props.get('aquasecurity:trivy:SrcName');
  const version = props.get('aquasecurity:trivy:SrcVersion');
  if (!name) return {};
  if (!version) return { sourceName: name };
  const release = props.get('aquasecurity:trivy:SrcRelease');
  const epoch = props.get('aquasecurity:trivy:SrcEpoch');
  const full = `${epoch && epoch !== '0' ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
  return { sourceName: name, sourceVersion: full };
}

export function readCycloneDx(doc: Json): SbomPackages {
  const out: Package[] = [];
  const pointers: string[] = [];
  let skipped = 0;
  let distro: string | undefined;
  const visit = (list: unknown, at: string): void => {
    if (!Array.isArray(list)) return;
    for (const [i, c] of list.entries()) {
      if (!isObj(c)) continue;
      const pointer = `${at}/${i}`;
      if (c.type === 'operating-system' && str(c.name)) {
        distro ??= `${(c.name as string).toLowerCase()}${str(c.version) ? `-${c.version as string}` : ''}`;
      }
      const purl = str(c.purl);
      const name = str(c.name);
      const version = str(c.version);
      if (purl && name && version) {
        const pkg: Package = { name, version, purl, ...trivySource(properties(c)) };
        out.push(pkg);
        pointers.push(pointer);
      } else if (c.type !== 'operating-system') {
        skipped++;
      }
      visit(c.components, `${pointer}/components`);
    }
  };
  if (isObj(doc.metadata) && isObj(doc.metadata.component) && doc.metadata.component.type === 'operating-system') visit([doc.metadata.component], '/metadata/component');
  visit(doc.components, '/components');
  if (!Array.isArray(doc.components) && doc.components !== undefined) throw new SbomParseError('CycloneDX "components" is not an array');
  return { format: 'cyclonedx', packages: withDistro(out, distro), pointers, skipped, distro };
}

function purlOf(p: Json): string | undefined {
  if (!Array.isArray(p.externalRefs)) return undefined;
  for (const r of p.externalRefs) {
    if (isObj(r) && r.referenceType === 'purl' && str(r.referenceLocator)) return r.referenceLocator as string;
  }
  return undefined;
}

/** Syft: "built package from: openssl 3.0.11-1~deb12u2" (Debian), "... from: musl 1.2.4-r2" (Alpine origin). */
function spdxSource(p: Json): { sourceName?: string; sourceVersion?: string } {
  const info = str(p.sourceInfo);
  const m = info ? /built package from:\s*(\S+)(?:\s+(\S+))?/.exec(info) : null;
  if (!m) return {};
  return m[2] ? { sourceName: m[1], sourceVersion: m[2] } : { sourceName: m[1] };
}

export function readSpdx(doc: Json): SbomPackages {
  if (doc.packages !== undefined && !Array.isArray(doc.packages)) throw new SbomParseError('SPDX "packages" is not an array');
  const out: Package[] = [];
  const pointers: string[] = [];
  let skipped = 0;
  let distro: string | undefined;
  for (const [i, p] of ((doc.packages as unknown[] | undefined) ?? []).entries()) {
    if (!isObj(p)) continue;
    const purl = purlOf(p);
    const name = str(p.name);
    const version = str(p.versionInfo);
    if (p.primaryPackagePurpose === 'OPERATING-SYSTEM' && name) distro ??= `${name.toLowerCase()}${version ? `-${version}` : ''}`;
    if (!purl || !name || !version || purl.startsWith('pkg:oci/') || purl.startsWith('pkg:docker/')) {
      skipped++;
      continue;
    }
    out.push({ name, version, purl, ...spdxSource(p) });
    pointers.push(`/packages/${i}`);
  }
  return { format: 'spdx', packages: withDistro(out, distro), pointers, skipped, distro };
}

/** OS packages whose purl has no distro qualifier inherit the SBOM's operating system. */
function withDistro(pkgs: Package[], distro: string | undefined): Package[] {
  if (!distro) return pkgs;
  return pkgs.map((p) =>
    p.purl && /^pkg:(deb|apk|rpm)\//.test(p.purl) && !/[?&]distro=/.test(p.purl) ? { ...p, distro } : p,
  );
}
