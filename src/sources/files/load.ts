/**
 * The one loader every command uses: files, directories (recursive), `-` for stdin, Kustomize and Helm
 * directories, Dockerfiles. One unreadable or broken input never stops the others: it becomes an error or a note.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource, ScanError, SkipNote } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { parseManifestText } from '../manifests/parse-text.js';
import { classifyFile, HELM_CHART_FILE, KUSTOMIZATION_FILES, SKIPPED_DIRS } from './classify.js';
import { renderHelm, renderKustomize } from './render.js';
import { parseDockerfileFile } from './dockerfile.js';

export interface LoadResult {
  resources: Resource[];
  errors: ScanError[];
  skipped: SkipNote[];
  /** Files read (for the summary). */
  files: number;
}

export interface LoadOptions {
  /** Reads standard input when a path is `-`. */
  readStdin?: () => string;
}

export function emptyLoadResult(): LoadResult {
  return { resources: [], errors: [], skipped: [], files: 0 };
}

export function loadPaths(paths: string[], options: LoadOptions = {}): LoadResult {
  const out = emptyLoadResult();
  for (const p of paths) loadPath(p, out, options, true);
  return out;
}

function addParsed(out: LoadResult, text: string, file: string): void {
  const parsed = parseManifestText(text, file);
  out.files++;
  out.resources.push(...parsed.resources);
  out.errors.push(...parsed.errors);
  out.skipped.push(...parsed.skipped);
}

function loadPath(path: string, out: LoadResult, options: LoadOptions, explicit: boolean): void {
  if (path === '-') {
    const text = options.readStdin ? options.readStdin() : readFileSync(0, 'utf8');
    addParsed(out, text, '<stdin>');
    return;
  }
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    out.errors.push({ kind: 'read', file: path, message: `cannot read: ${errorMessage(e)}` });
    return;
  }
  if (isDir) return loadDirectory(path, out, options);

  const kind = classifyFile(path);
  if (kind === 'other' && !explicit) return;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    out.errors.push({ kind: 'read', file: path, message: `cannot read: ${errorMessage(e)}` });
    return;
  }
  if (kind === 'dockerfile') {
    out.files++;
    try {
      out.resources.push(parseDockerfileFile(text, path));
    } catch (e) {
      out.errors.push({ kind: 'parse', file: path, message: errorMessage(e) });
    }
    return;
  }
  addParsed(out, text, path);
}

function loadDirectory(dir: string, out: LoadResult, options: LoadOptions): void {
  const kustomization = KUSTOMIZATION_FILES.find((f) => existsSync(join(dir, f)));
  if (kustomization || existsSync(join(dir, HELM_CHART_FILE))) {
    const tool = kustomization ? 'kustomize' : 'helm';
    try {
      const rendered = kustomization ? renderKustomize(dir) : renderHelm(dir);
      addParsed(out, rendered, `${dir} (rendered by ${tool})`);
    } catch (e) {
      out.errors.push({ kind: 'render', file: dir, message: errorMessage(e) });
    }
    return; // raw files of a kustomization or chart are inputs to the renderer, not objects
  }
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    out.errors.push({ kind: 'read', file: dir, message: `cannot read directory: ${errorMessage(e)}` });
    return;
  }
  for (const name of entries) {
    if (SKIPPED_DIRS.has(name)) continue;
    loadPath(join(dir, name), out, options, false);
  }
}
