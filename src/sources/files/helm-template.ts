/**
 * A Helm template is not YAML until rendered: read as YAML it gives parse errors (one per broken document, dozens
 * for a chart's templates/) or objects named "{{ .Release.Name }}". Files that look like templates become one
 * error each saying so and how to render them, instead of either.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScanError } from '../../core/model.js';
import type { LoadResult } from './load.js';
import { HELM_CHART_FILE } from './classify.js';

/** Go template actions as charts write them: `{{ .Values.x }}`, `{{- include "…" . }}`, `{{ if … }}`, `{{ $x := … }}`. */
const ACTION = /\{\{-?\s*(?:\.|\$|"|include\b|template\b|if\b|else\b|end\b|range\b|with\b|define\b|toYaml\b|tpl\b|printf\b|quote\b|default\b|required\b|lookup\b|\/\*)/;

// C0 controls other than tab, line feed and carriage return (which YAML and kubectl refuse)
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export function looksLikeHelmTemplate(text: string): boolean {
  // a template is text: binary data that happens to hold `{{ .` stays a refused binary input
  return ACTION.test(text) && !CONTROL.test(text);
}

function chartDirOf(file: string): string | undefined {
  for (let dir = dirname(file), i = 0; i < 4; dir = dirname(dir), i++) {
    if (existsSync(join(dir, HELM_CHART_FILE))) return dir;
    if (dirname(dir) === dir) break;
  }
  return undefined;
}

function templateError(file: string): ScanError {
  const chart = chartDirOf(file);
  const how = chart
    ? `scan the chart directory ${chart} (kubeguard renders it with \`helm template\`)`
    : 'render it first: `helm template RELEASE CHART | kubeguard scan -` (or scan the chart directory, the one with Chart.yaml)';
  return { kind: 'parse', file, message: `looks like a Helm template ({{ … }} actions), which is not YAML until rendered: ${how}` };
}

/** Replaces the parse errors and the objects of files that are Helm templates with one explaining error each. */
export function explainHelmTemplates(result: LoadResult, readText: (file: string) => string = (f) => readFileSync(f, 'utf8')): void {
  const suspects = new Set<string>();
  for (const e of result.errors) if (e.kind === 'parse' && e.file) suspects.add(e.file);
  for (const r of result.resources) {
    const m = r.object.metadata;
    if (r.source?.file && [m?.name, m?.namespace].some((v) => typeof v === 'string' && v.includes('{{'))) suspects.add(r.source.file);
  }
  const templates = new Set<string>();
  for (const file of suspects) {
    if (file === '<stdin>') continue;
    try {
      if (looksLikeHelmTemplate(readText(file))) templates.add(file);
    } catch {
      // unreadable now: its original error stands
    }
  }
  if (templates.size === 0) return;
  result.resources = result.resources.filter((r) => !templates.has(r.source?.file ?? ''));
  result.errors = result.errors.filter((e) => !e.file || !templates.has(e.file));
  for (const file of [...templates].sort()) result.errors.push(templateError(file));
}
