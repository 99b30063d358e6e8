/** Dockerfile source: parseDockerfile(text, file) → Resource of kind "Dockerfile" (pure, no fs). */
export { parseDockerfile } from './parse.js';
export type { DockerfileInstruction, DockerfileObject, DockerfileStage, FromRef, Heredoc } from './model.js';
export { DOCKERFILE_API_VERSION, DOCKERFILE_KIND, isDockerfileObject, flagValues, shellText, keyValuePairs, finalStageChain } from './model.js';
export { parseImageRef, normalizedName, registryOf, isValidDigest } from './image-ref.js';
export type { ImageRef } from './image-ref.js';

