/** Pure image analysis: package model, analyzers, layered filesystem, SBOM writers/readers, hygiene, cosign checks. */
export type { Ecosystem, ImageConfig, OsInfo, Package, PackageLocation } from './model.js';
export { LayeredFs } from './fs/layered-fs.js';
export type { FsNode, EntryHeader } from './fs/layered-fs.js';
export { inventory, analyzerWants, ANALYZERS } from './analyzers/index.js';
export type { PackageInventory } from './analyzers/index.js';
export { toCycloneDx } from './sbom/cyclonedx.js';
export { toSpdx } from './sbom/spdx.js';
export { toTable } from './sbom/table.js';
export { importSbom } from './sbom/import.js';
export type { ImportedSbom } from './sbom/import.js';
export type { SbomInput } from './sbom/input.js';
export { imageHygiene, imageResource, IMAGE_RESOURCE_API } from './hygiene/findings.js';
export type { HygieneInput, HygieneOptions, HygieneReport } from './hygiene/findings.js';
export { loadPublicKey, verifyCandidates, checkPayload, SIGNATURE_ANNOTATION } from './cosign/verify-payload.js';
export type { PublicKeyInfo, SignatureVerdict } from './cosign/verify-payload.js';
export { ImageFormatError, ImageLimitError, ImageSecurityError } from './errors.js';
