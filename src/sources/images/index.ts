/**
 * Image inputs (registry, OCI layout, docker-save tar, rootfs dir) and the library entry points (analysing an
 * image into packages, hygiene and an SBOM is a use case: src/usecases/images/analyze.ts):
 *   loadImage(input, { platform?, client?, limits? }) → the image handle and the files its analyzers asked for
 *   verifyImageSignatures(ref, { keys? | policy?, trustedRoot?, cache? }) → signatures and attestations (cosign
 *     .sig/.att, OCI 1.1 Sigstore bundle referrers) verified by sigstore-js, key-based or keyless; cached by digest
 *   verifyImageSignature(ref, keys, cache?) → the key-based form
 */
export { loadImage, openImage } from './load-image.js';
export type { LoadedImage, LoadImageOptions } from './load-image.js';
export { verifyImageSignature, verifyImageSignatures, MemorySignatureCache, signatureTag, attestationTag } from './cosign.js';
export type { SignatureCache, SignatureResult } from './cosign.js';
export { RegistryClient, RegistryError } from './registry/client.js';
export type { RegistryClientOptions } from './registry/client.js';
export { dockerConfigProvider } from './registry/credentials.js';
export type { CredentialProvider, Credentials } from './registry/credentials.js';
export { pushOciLayout } from './registry/push.js';
export { parseReference, formatReference } from '../../core/image-ref.js';
export type { ImageReference } from '../../core/image-ref.js';
export { parsePlatform, formatPlatform } from './oci-types.js';
export type { Platform } from './oci-types.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { ImageLimits } from './limits.js';
