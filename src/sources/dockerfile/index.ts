/**
 * Dockerfile source: parseDockerfile(text, file) → Resource of kind "Dockerfile" (pure, no fs). The object model it
 * produces (types and helpers) is in src/rules/dockerfile/model, shared with the rules.
 */
export { parseDockerfile } from './parse.js';
export type { DockerfileInstruction, DockerfileObject, DockerfileStage, FromRef, Heredoc, ImageRef } from '../../rules/dockerfile/model/index.js';
export { DOCKERFILE_API_VERSION, DOCKERFILE_KIND, isDockerfileObject, finalStageChain } from '../../rules/dockerfile/model/index.js';
