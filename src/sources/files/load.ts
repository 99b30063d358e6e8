/**
 * The one loader every command uses: files, directories (recursive), `-` for stdin, Kustomize and Helm
 * directories, Dockerfiles. One unreadable or broken input never stops the others: it becomes an error (the scan is
 * then incomplete) or a note. Inputs are read bounded (read-input.ts): special files refused, each real path read
 * once (symbolic link loops and links to what was already read add nothing), directories walked without recursion.
 */
import { readdirSync, realpathSync, statSync, existsSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Resource, ScanError, SkipNote } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { appendAll } from '../../core/append.js';
import { MAX_MANIFEST_BYTES, parseManifestText } from '../manifests/parse-text.js';
import { decodeText } from '../manifests/decode-text.js';
import { classifyFile, HELM_CHART_FILE, KUSTOMIZATION_FILES, SKIPPED_DIRS } from './classify.js';
import { renderHelm, renderKustomize } from './render.js';
import { parseDockerfileFile } from './dockerfile.js';
import { InputRefused, readFdBounded, readInputFile } from './read-input.js';

export interface LoadResult {
  resources: Resource[];
  errors: ScanError[];
  skipped: SkipNote[];
  /** Files read (for the summary). */
  files: number;
}

export interface LoadOptions {
  /** Reads standard input when a path is `-` (default: fd 0, bounded). */
  readStdin?: () => string | Uint8Array;
}

export function emptyLoadResult(): LoadResult {
  return { resources: [], errors: [], skipped: [], files: 0 };
}

export function loadPaths(paths: string[], options: LoadOptions = {}): LoadResult {
  const out = emptyLoadResult();
  const seen = new Set<string>();
  for (const p of paths) loadPath(p, out, options, seen);
  return out;
}

function addParsed(out: LoadResult, text: string, file: string): void {
  const parsed = parseManifestText(text, file);
  out.files++;
  appendAll(out.resources, parsed.resources);
  appendAll(out.errors, parsed.errors);
  appendAll(out.skipped, parsed.skipped);
}

function readError(file: string, e: unknown, what = 'cannot read'): ScanError {
  if (e instanceof InputRefused) return { kind: e.kind, file, message: e.message };
  return { kind: 'read', file, message: `${what}: ${errorMessage(e)}` };
}

/** A path given on the command line: a file, a directory, or `-`. */
function loadPath(path: string, out: LoadResult, options: LoadOptions, seen: Set<string>): void {
  if (path === '-') {
    let input: string | Uint8Array;
    try {
      input = options.readStdin ? options.readStdin() : readFdBounded(0, MAX_MANIFEST_BYTES);
    } catch (e) {
      out.errors.push(readError('<stdin>', e));
      return;
    }
    addParsed(out, typeof input === 'string' ? input : decodeText(input).text, '<stdin>');
    return;
  }
  // Directories are walked with a stack (no recursion on input-controlled depth), in sorted order.
  const stack: { path: string; explicit: boolean }[] = [{ path, explicit: true }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    let st: Stats;
    let real: string;
    try {
      st = statSync(next.path);
      real = realpathSync(next.path);
    } catch (e) {
      out.errors.push(readError(next.path, e));
      continue;
    }
    if (seen.has(real)) continue; // a symbolic link loop, or a second way to what was read already
    seen.add(real);
    if (!st.isDirectory()) {
      loadFile(next.path, st, out, next.explicit);
      continue;
    }
    const entries = directoryEntries(next.path, out);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ path: join(next.path, entries[i]), explicit: false });
  }
}

/** The entries to visit in a directory; none when it is a kustomization or chart (then rendered here). */
function directoryEntries(dir: string, out: LoadResult): string[] {
  const kustomization = KUSTOMIZATION_FILES.find((f) => existsSync(join(dir, f)));
  if (kustomization || existsSync(join(dir, HELM_CHART_FILE))) {
    const tool = kustomization ? 'kustomize' : 'helm';
    try {
      const rendered = kustomization ? renderKustomize(dir) : renderHelm(dir);
      addParsed(out, rendered, `${dir} (rendered by ${tool})`);
    } catch (e) {
      out.errors.push({ kind: 'render', file: dir, message: errorMessage(e) });
    }
    return []; // raw files of a kustomization or chart are inputs to the renderer, not objects
  }
  try {
    return readdirSync(dir)
      .filter((name) => !SKIPPED_DIRS.has(name))
      .sort();
  } catch (e) {
    out.errors.push(readError(dir, e, 'cannot read directory'));
    return [];
  }
}

function loadFile(path: string, st: Stats, out: LoadResult, explicit: boolean): void {
  const kind = classifyFile(path);
  if (kind === 'other' && !explicit) return;
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, MAX_MANIFEST_BYTES, st);
  } catch (e) {
    out.errors.push(readError(path, e));
    return;
  }
  if (kind === 'dockerfile') {
    out.files++;
    try {
      out.resources.push(parseDockerfileFile(new TextDecoder().decode(bytes), path));
    } catch (e) {
      out.errors.push({ kind: 'parse', file: path, message: errorMessage(e) });
    }
    return;
  }
  addParsed(out, decodeText(bytes).text, path);
}
