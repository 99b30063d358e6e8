/**
 * Dockerfile parser (pure: text in, Resource out). Follows the Dockerfile reference
 * (https://docs.docker.com/reference/dockerfile/) and BuildKit's parser
 * (https://github.com/moby/buildkit/tree/master/frontend/dockerfile/parser):
 * - parser directives (`# syntax=`, `# escape=`, `# check=`) only before any other line; `escape` is `\` or `` ` ``;
 * - a line ending in the escape character (trailing blanks allowed) continues; comment and empty lines inside a
 *   continuation are dropped;
 * - heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`) on RUN, COPY and ADD take the following lines up to the delimiter;
 * - exec form is a JSON array of strings, anything else is shell form;
 * - `FROM [--platform=…] image [AS name]`, ARG before the first FROM, `COPY --from=stage`.
 */
import { ManifestParseError } from '../../core/errors.js';
import type { LineLocator, Resource } from '../../core/model.js';
import { parsePointer } from '../../core/pointer.js';
import { DOCKERFILE_API_VERSION, DOCKERFILE_KIND, expandVars, splitWords } from '../../core/dockerfile/index.js';
import { parseImageRef } from '../../core/image-ref.js';
import type { DockerfileInstruction, DockerfileObject, DockerfileStage, FromRef, Heredoc } from '../../core/dockerfile/index.js';

const KNOWN = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const WITH_FLAGS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const WITH_HEREDOCS = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/y;
const MAX_CHARS = 4 * 1024 * 1024;

export function parseDockerfile(text: string, file: string): Resource {
  if (text.length > MAX_CHARS) throw new ManifestParseError(`Dockerfile larger than ${MAX_CHARS} characters: refused`, file);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const { directives, next } = readDirectives(lines);
  const escape = directives.escape ?? '\\';
  if (escape !== '\\' && escape !== '`') throw new ManifestParseError(`invalid escape directive "${escape}" (must be \\ or \`)`, file, 1);
  const instructions = readInstructions(lines, next, escape, file);
  const object = buildObject(instructions, directives, baseName(file), file);
  return {
    ref: { apiVersion: DOCKERFILE_API_VERSION, kind: DOCKERFILE_KIND, name: object.metadata.name },
    object,
    source: { file, line: 1, locate: locator(object) },
  };
}

/** Parser directives: `# key=value` lines at the very top; the first other line (or a repeated key) ends them. */
function readDirectives(lines: string[]): { directives: Record<string, string>; next: number } {
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    if (!m) break;
    const key = m[1].toLowerCase();
    if (!['syntax', 'escape', 'check'].includes(key) || key in directives) break;
    directives[key] = m[2];
  }
  return { directives, next: i };
}

const isBlankOrComment = (line: string): boolean => {
  const t = line.trim();
  return t === '' || t.startsWith('#');
};

function readInstructions(lines: string[], start: number, escape: string, file: string): DockerfileInstruction[] {
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const instructions: DockerfileInstruction[] = [];
  let i = start;
  while (i < lines.length) {
    if (isBlankOrComment(lines[i])) {
      i++;
      continue;
    }
    const startLine = i + 1;
    // One logical line: physical lines joined at the escape character; comment and blank lines inside are dropped.
    let logical = '';
    let cur = lines[i].replace(/^\s+/, '');
    while (continuation.test(cur)) {
      logical += cur.replace(continuation, '');
      i++;
      while (i < lines.length && isBlankOrComment(lines[i])) i++;
      if (i >= lines.length) {
        cur = '';
        i = lines.length - 1;
        break;
      }
      cur = lines[i];
    }
    logical += cur;
    i++;
    const instr = parseInstruction(logical, startLine, i, escape, file);
    if (WITH_HEREDOCS.has(instr.instruction) && instr.value.includes('<<')) i = readHeredocs(instr, lines, i, file);
    instructions.push(instr);
  }
  return instructions;
}

/** Keyword, leading --flags, exec or shell form of one logical line. */
function parseInstruction(logical: string, line: number, endLine: number, escape: string, file: string): DockerfileInstruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(logical.trim());
  const keyword = (m?.[1] ?? '').toUpperCase();
  if (!KNOWN.has(keyword)) throw new ManifestParseError(`unknown instruction: ${m?.[1] ?? logical}`, file, line);
  let rest = m?.[2] ?? '';
  const flags: Record<string, string | string[]> = {};
  if (WITH_FLAGS.has(keyword)) {
    for (;;) {
      const f = /^--([A-Za-z][A-Za-z0-9-]*)(?:=((?:"[^"]*"|'[^']*'|\S)*))?(?:\s+|$)/.exec(rest);
      if (!f) break;
      const value = f[2] === undefined ? 'true' : f[2].replace(/^(["'])(.*)\1$/, '$2');
      const prev = flags[f[1]];
      flags[f[1]] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      rest = rest.slice(f[0].length);
    }
  }
  const value = rest.trim();
  const exec = execForm(value);
  return exec
    ? { instruction: keyword, value, args: exec, flags, line, endLine, form: 'exec' }
    : { instruction: keyword, value, args: splitWords(value, escape), flags, line, endLine, form: 'shell' };
}

/** Reads the bodies of the instruction's heredocs, which follow its last line in order; returns the next line index. */
function readHeredocs(instr: DockerfileInstruction, lines: string[], start: number, file: string): number {
  const heredocs: Heredoc[] = [];
  let i = start;
  for (const h of heredocMarkers(instr.value)) {
    const stripTabs = h[1] === '-';
    const delimiter = h[3];
    const body: string[] = [];
    const bodyLine = i + 1;
    let closed = false;
    for (; i < lines.length; i++) {
      const l = stripTabs ? lines[i].replace(/^\t+/, '') : lines[i];
      if (l === delimiter) {
        closed = true;
        i++;
        break;
      }
      body.push(l);
    }
    if (!closed) throw new ManifestParseError(`unterminated heredoc <<${delimiter}`, file, instr.line);
    heredocs.push({ delimiter, content: body.join('\n'), line: bodyLine });
  }
  if (heredocs.length > 0) {
    instr.heredocs = heredocs;
    instr.endLine = i;
  }
  return i;
}

/** Heredoc markers (<<EOF, <<-EOF, <<"EOF") outside quotes; here-strings (<<<) are not heredocs. */
function heredocMarkers(text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') i++;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '<' && text[i + 1] === '<' && text[i - 1] !== '<' && text[i + 2] !== '<') {
      HEREDOC.lastIndex = i;
      const m = HEREDOC.exec(text);
      if (m) {
        out.push(m);
        i += m[0].length - 1;
      }
    }
  }
  return out;
}

function execForm(value: string): string[] | undefined {
  if (!value.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? file;
}

function buildObject(instructions: DockerfileInstruction[], directives: Record<string, string>, name: string, file: string): DockerfileObject {
  const globalArgs: DockerfileInstruction[] = [];
  const stages: DockerfileStage[] = [];
  const argDefaults = new Map<string, string | undefined>();
  for (const instr of instructions) {
    if (instr.instruction === 'FROM') {
      stages.push({ ...stageName(instr, file), from: fromRef(instr, argDefaults, stages, file), instructions: [instr] });
      continue;
    }
    if (stages.length === 0) {
      if (instr.instruction !== 'ARG') throw new ManifestParseError(`${instr.instruction} before the first FROM (only ARG may precede FROM)`, file, instr.line);
      globalArgs.push(instr);
      for (const w of instr.args) {
        const eq = w.indexOf('=');
        if (eq < 0) argDefaults.set(w, undefined);
        else argDefaults.set(w.slice(0, eq), expandVars(w.slice(eq + 1), argDefaults).text);
      }
      continue;
    }
    stages[stages.length - 1].instructions.push(instr);
  }
  if (stages.length === 0) throw new ManifestParseError('no FROM instruction: a Dockerfile needs at least one build stage', file, instructions[0]?.line ?? 1);
  return { apiVersion: DOCKERFILE_API_VERSION, kind: DOCKERFILE_KIND, metadata: { name }, directives, globalArgs, stages };
}

function stageName(instr: DockerfileInstruction, file: string): { name?: string } {
  const args = instr.args;
  if (args.length === 3 && args[1].toUpperCase() === 'AS') return { name: args[2] };
  if (args.length !== 1) throw new ManifestParseError(`FROM requires "image [AS name]", got "${instr.value}"`, file, instr.line);
  return {};
}

function fromRef(instr: DockerfileInstruction, args: ReadonlyMap<string, string | undefined>, stages: DockerfileStage[], file: string): FromRef {
  const raw = instr.args[0];
  if (raw === undefined) throw new ManifestParseError('FROM without an image', file, instr.line);
  const expanded = expandVars(raw, args);
  const platformFlag = instr.flags.platform;
  const platform = typeof platformFlag === 'string' ? platformFlag : undefined;
  const from: FromRef = { image: expanded.text, raw, resolved: expanded.missing.length === 0 && expanded.text !== '' };
  if (platform !== undefined) from.platform = platform;
  const stage = stages.findIndex((s) => s.name !== undefined && s.name.toLowerCase() === expanded.text.toLowerCase());
  if (stage >= 0) {
    from.stage = stage;
    return from;
  }
  if (expanded.text.toLowerCase() === 'scratch') {
    from.scratch = true;
    return from;
  }
  const ref = parseImageRef(expanded.text);
  from.image = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  if (ref.tag !== undefined) from.tag = ref.tag;
  if (ref.digest !== undefined) from.digest = ref.digest;
  return from;
}

/** Maps /stages/<i>/instructions/<j>[/...] to the instruction's line, /stages/<i>[/...] to its FROM line. */
function locator(df: DockerfileObject): LineLocator {
  return (pointer: string) => {
    let tokens: string[];
    try {
      tokens = parsePointer(pointer);
    } catch {
      return undefined;
    }
    if (tokens.length === 0) return df.globalArgs[0]?.line ?? df.stages[0]?.instructions[0]?.line;
    const index = (t: string | undefined): number => (t !== undefined && /^\d+$/.test(t) ? Number(t) : -1);
    if (tokens[0] === 'globalArgs') return df.globalArgs[index(tokens[1])]?.line;
    if (tokens[0] !== 'stages') return undefined;
    const stage = df.stages[index(tokens[1])];
    if (!stage) return undefined;
    if (tokens[2] === 'instructions' && tokens.length > 3) return stage.instructions[index(tokens[3])]?.line;
    return stage.instructions[0]?.line;
  };
}
