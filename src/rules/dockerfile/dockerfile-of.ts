/** Access to the parsed Dockerfile of a resource and pointers into it. */
import type { Resource } from '../../core/model.js';
import { isDockerfileObject } from '../../core/dockerfile/index.js';
import type { DockerfileObject } from '../../core/dockerfile/index.js';

export function dockerfileOf(resource: Resource): DockerfileObject | undefined {
  return isDockerfileObject(resource.object) ? resource.object : undefined;
}

/** Pointer to an instruction: /stages/<stage>/instructions/<index> (index 0 is the stage's FROM). */
export function instructionPath(stage: number, index: number): string {
  return `/stages/${stage}/instructions/${index}`;
}

/** A short, secret-free label for a stage: `stage "build"` or `stage 2`. */
export function stageLabel(df: DockerfileObject, stage: number): string {
  const name = df.stages[stage]?.name;
  return name !== undefined ? `stage "${name}"` : `stage ${stage}`;
}
