/**
 * Dockerfile source: parseDockerfile(text, file) → Resource of kind "Dockerfile" (pure, no fs). The object model it
 * produces (types and helpers) is in src/core/dockerfile, shared with the rules.
 */
export { parseDockerfile } from './parse.js';
export type { DockerfileInstruction, DockerfileObject, DockerfileStage, FromRef, Heredoc } from '../../core/dockerfile/index.js';
export type { ImageRef } from '../../core/image-ref.js';
export { DOCKERFILE_API_VERSION, DOCKERFILE_KIND, isDockerfileObject, finalStageChain } from '../../core/dockerfile/index.js';
