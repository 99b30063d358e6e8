/**
 * The Dockerfile model: a Dockerfile becomes a Resource of kind "Dockerfile" whose object lists its build stages
 * and their instructions with 1-based lines. Rules read this shape; findings point at
 * /stages/<i>/instructions/<j> (instruction 0 of every stage is its FROM).
 */
import type { KubeObject } from '../model.js';

export const DOCKERFILE_API_VERSION = 'kubeguard.io/v1';
export const DOCKERFILE_KIND = 'Dockerfile';

export interface Heredoc {
  delimiter: string;
  content: string;
  /** Line of the first body line. */
  line: number;
}

export interface DockerfileInstruction {
  /** Upper-case keyword: RUN, COPY, FROM… */
  instruction: string;
  /** The arguments after the flags, continuation lines joined. */
  value: string;
  /** Exec form: the JSON array; shell form: the words (quotes removed). */
  args: string[];
  /** --name=value flags (a repeated flag such as RUN --mount gives an array; a bare --flag gives "true"). */
  flags: Record<string, string | string[]>;
  /** 1-based line where the instruction starts. */
  line: number;
  /** 1-based line where it ends (continuations and heredocs included). */
  endLine: number;
  form?: 'exec' | 'shell';
  heredocs?: Heredoc[];
}

export interface FromRef {
  /** Image (or earlier stage) name without tag or digest, after ARG substitution. */
  image: string;
  tag?: string;
  digest?: string;
  platform?: string;
  /** The reference as written in the FROM line. */
  raw: string;
  /** False when a variable in the reference has no value (the image is then unknown). */
  resolved: boolean;
  /** Index of the earlier stage this FROM builds on, if any. */
  stage?: number;
  scratch?: boolean;
}

export interface DockerfileStage {
  name?: string;
  from: FromRef;
  /** Instruction 0 is the FROM itself. */
  instructions: DockerfileInstruction[];
}

export interface DockerfileObject extends KubeObject {
  apiVersion: typeof DOCKERFILE_API_VERSION;
  kind: typeof DOCKERFILE_KIND;
  metadata: { name: string };
  /** Parser directives (escape, syntax, check) as written. */
  directives: Record<string, string>;
  /** ARG instructions before the first FROM. */
  globalArgs: DockerfileInstruction[];
  stages: DockerfileStage[];
}

export function isDockerfileObject(obj: KubeObject): obj is DockerfileObject {
  return obj.kind === DOCKERFILE_KIND && Array.isArray((obj as { stages?: unknown }).stages);
}

/** All values of a flag: RUN --mount=a --mount=b → [a, b]. */
export function flagValues(instr: DockerfileInstruction, name: string): string[] {
  const v = instr.flags[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The shell text a RUN executes: its command line plus heredoc bodies. */
export function shellText(instr: DockerfileInstruction): string {
  const bodies = (instr.heredocs ?? []).map((h) => h.content);
  return [instr.form === 'exec' ? instr.args.join(' ') : instr.value, ...bodies].join('\n');
}

/**
 * ENV/ARG/LABEL key-value pairs. Handles `KEY=value KEY2="a b"`, the legacy `ENV KEY value with spaces`
 * form, and ARG without a default (value undefined).
 */
export function keyValuePairs(instr: DockerfileInstruction): { key: string; value?: string }[] {
  const words = instr.args;
  if (words.length === 0) return [];
  if (instr.instruction !== 'ARG' && !words[0].includes('=')) {
    // Legacy form: ENV KEY value… (value is the rest of the line).
    const rest = instr.value.trim().slice(words[0].length).trim();
    return [{ key: words[0], value: unquote(rest) }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? { key: w } : { key: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

function unquote(s: string): string {
  return /^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

/**
 * The stages that make up the final image: the last stage and the chain of earlier stages it builds on
 * (FROM <stage>), final stage first.
 */
export function finalStageChain(df: DockerfileObject): number[] {
  const chain: number[] = [];
  let i: number | undefined = df.stages.length - 1;
  while (i !== undefined && i >= 0 && !chain.includes(i)) {
    chain.push(i);
    i = df.stages[i].from.stage;
  }
  return chain;
}
