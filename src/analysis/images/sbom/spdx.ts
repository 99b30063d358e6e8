/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/): one package for the image, one per found package
 * with its purl as a PACKAGE-MANAGER external reference, CONTAINS relationships. Licence names that are
 * not SPDX ids become LicenseRef-s listed in hasExtractedLicensingInfos.
 */
import { createHash } from 'node:crypto';
import { classifyLicense, licenseRefFor } from './licenses.js';
import type { SbomInput } from './input.js';

interface SpdxPackage {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: boolean;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  sourceInfo?: string;
  primaryPackagePurpose?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
}

export function spdxTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toSpdx(input: SbomInput): string {
  const extracted = new Map<string, string>();
  const declared = (licenses: readonly string[]): string => {
    if (licenses.length === 0) return 'NOASSERTION';
    const parts = licenses.map((raw) => {
      const c = classifyLicense(raw);
      if (c.kind === 'id') return c.id;
      if (c.kind === 'expression') return licenses.length > 1 && c.expression.includes(' ') ? `(${c.expression})` : c.expression;
      const ref = licenseRefFor(c.name);
      extracted.set(ref, c.name);
      return ref;
    });
    return parts.join(' AND ');
  };
  const { image } = input;
  const imagePkg: SpdxPackage = {
    name: image.name,
    SPDXID: 'SPDXRef-Image',
    versionInfo: image.digest,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'CONTAINER',
  };
  const packages: SpdxPackage[] = [imagePkg];
  const relationships = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' }];
  if (input.os) {
    packages.push({
      name: input.os.id,
      SPDXID: 'SPDXRef-OperatingSystem',
      versionInfo: input.os.versionId,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'OPERATING-SYSTEM',
    });
    relationships.push({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-OperatingSystem' });
  }
  input.packages.forEach((p, i) => {
    const id = `SPDXRef-Package-${p.ecosystem}-${i + 1}`;
    packages.push({
      name: p.name,
      SPDXID: id,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: declared(p.licenses),
      copyrightText: 'NOASSERTION',
      sourceInfo: `found in ${p.locations.map((l) => l.path).join(', ')}${p.sourceName ? `; source package ${p.sourceName}${p.sourceVersion ? ` ${p.sourceVersion}` : ''}` : ''}`,
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
    });
    relationships.push({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: id });
  });
  const hash = createHash('sha256').update(`${image.name}|${image.digest ?? ''}|${input.packages.map((p) => p.purl).join(',')}`).digest('hex');
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: image.name,
    documentNamespace: `https://kubeguard.dev/spdxdocs/${encodeURIComponent(image.name)}-${hash}`,
    creationInfo: { created: spdxTimestamp(input.now), creators: [`Tool: ${input.tool.name}-${input.tool.version}`] },
    packages,
    relationships,
    ...(extracted.size
      ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, name]) => ({ licenseId, extractedText: name, name })) }
      : {}),
  };
  return JSON.stringify(doc, null, 2);
}
