/**
 * The Dockerfile object model shared by the Dockerfile parser (src/sources/dockerfile) and the rules: types, pure
 * helpers and ARG/ENV expansion (image references: core/image-ref.ts). Pure (no I/O).
 *
 * It lives in core because rules and sources both use it (.dependency-cruiser.cjs,
 * rules-are-pure); its natural home is src/core (like podspec.ts) once the core owners move it there.
 */
export * from './dockerfile.js';
export { expandVars, splitWords } from './words.js';
export type { Expansion } from './words.js';
