/**
 * Reads existing SBOMs (CycloneDX JSON any 1.x, SPDX 2.x JSON) back into the package model, so packages
 * listed by other tools can be matched against vulnerabilities like ours. Packages without a purl are kept
 * out (nothing can be matched on them) and counted in `skipped`.
 */
import { PackageURL } from 'packageurl-js';
import type { Ecosystem, Package } from '../model.js';

export interface ImportedSbom {
  format: 'cyclonedx' | 'spdx';
  specVersion: string;
  subject?: string;
  packages: Package[];
  skipped: number;
}

const ECOSYSTEMS: Record<string, Ecosystem> = { deb: 'deb', apk: 'apk', rpm: 'rpm', npm: 'npm', pypi: 'pypi', golang: 'golang', maven: 'maven', generic: 'generic' };

function fromPurl(purlString: string, name: string | undefined, version: string | undefined, licenses: string[], location?: string): Package | undefined {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purlString);
  } catch {
    return undefined;
  }
  const ecosystem = ECOSYSTEMS[p.type];
  if (!ecosystem) return undefined;
  const fullName = p.type === 'maven' && p.namespace ? `${p.namespace}:${p.name}` : p.type === 'npm' && p.namespace ? `${p.namespace}/${p.name}` : p.type === 'golang' && p.namespace ? `${p.namespace}/${p.name}` : p.name;
  return {
    ecosystem,
    name: name && p.type !== 'maven' && p.type !== 'golang' ? name : fullName,
    version: version ?? p.version ?? '',
    purl: purlString,
    licenses,
    locations: location ? [{ path: location }] : [],
    arch: p.qualifiers?.arch,
  };
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function importSbom(doc: unknown): ImportedSbom {
  if (!doc || typeof doc !== 'object') throw new Error('SBOM is not a JSON object');
  const d = doc as Json;
  if (d.bomFormat === 'CycloneDX') {
    const packages: Package[] = [];
    let skipped = 0;
    const visit = (components: unknown): void => {
      if (!Array.isArray(components)) return;
      for (const c of components as Json[]) {
        const licenses = Array.isArray(c.licenses)
          ? (c.licenses as Json[]).flatMap((l) => {
              const lic = l.license as Json | undefined;
              return [str(l.expression), str(lic?.id), str(lic?.name)].filter((x): x is string => !!x);
            })
          : [];
        const purl = str(c.purl);
        const pkg = purl ? fromPurl(purl, str(c.name), str(c.version), licenses) : undefined;
        if (pkg) packages.push(pkg);
        else if (c.type !== 'operating-system') skipped++;
        visit(c.components);
      }
    };
    visit(d.components);
    const meta = d.metadata as Json | undefined;
    return { format: 'cyclonedx', specVersion: str(d.specVersion) ?? '', subject: str((meta?.component as Json | undefined)?.name), packages, skipped };
  }
  if (typeof d.spdxVersion === 'string') {
    const packages: Package[] = [];
    let skipped = 0;
    for (const p of (Array.isArray(d.packages) ? d.packages : []) as Json[]) {
      const refs = (Array.isArray(p.externalRefs) ? p.externalRefs : []) as Json[];
      const purl = str(refs.find((r) => r.referenceType === 'purl')?.referenceLocator);
      const lic = str(p.licenseDeclared) ?? str(p.licenseConcluded);
      const pkg = purl ? fromPurl(purl, str(p.name), str(p.versionInfo), lic && lic !== 'NOASSERTION' && lic !== 'NONE' ? [lic] : []) : undefined;
      if (pkg) packages.push(pkg);
      else if (p.primaryPackagePurpose !== 'CONTAINER' && p.primaryPackagePurpose !== 'OPERATING-SYSTEM') skipped++;
    }
    return { format: 'spdx', specVersion: d.spdxVersion, subject: str(d.name), packages, skipped };
  }
  throw new Error('not a CycloneDX or SPDX JSON document');
}
