/** Test-only manifest reading (YAML multi-document and JSON, kubectl List output) for conformance data. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../core/model.js';

function isObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as KubeObject).kind === 'string';
}

export function loadManifestFile(file: string): KubeObject[] {
  const text = readFileSync(file, 'utf8');
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const v: unknown = doc.toJS();
    if (Array.isArray(v)) out.push(...v.filter(isObject));
    else if (isObject(v)) out.push(v);
  }
  return out;
}

export function loadManifestDir(dir: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...loadManifestDir(full));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(...loadManifestFile(full));
  }
  return out;
}
