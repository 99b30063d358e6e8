/** Test helper: YAML text (multi-document) to KubeObjects. Pure; used only by tests and the bench. */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/model.js';

export function objectsFromYaml(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is KubeObject => typeof o === 'object' && o !== null && !Array.isArray(o));
}
