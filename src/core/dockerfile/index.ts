/**
 * The Dockerfile object model shared by the Dockerfile parser (src/sources/dockerfile) and the rules: types, pure
 * helpers, image references and ARG/ENV expansion. Pure (no I/O).
 *
 * It lives in core because rules and sources both use it (.dependency-cruiser.cjs,
 * rules-are-pure); its natural home is src/core (like podspec.ts) once the core owners move it there.
 */
export * from './dockerfile.js';
export * from './image-ref.js';
export { expandVars, splitWords } from './words.js';
export type { Expansion } from './words.js';
