/** Dockerfiles enter the scan as Resources of kind Dockerfile (parser in src/sources/dockerfile). */
import type { Resource } from '../../core/model.js';
import { parseDockerfile } from '../dockerfile/parse.js';

export function parseDockerfileFile(text: string, file: string): Resource {
  return parseDockerfile(text, file);
}
