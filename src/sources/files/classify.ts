/** What a path on disk is, by name and content markers, before it is read. */
import { basename } from 'node:path';

export type FileKind = 'manifest' | 'dockerfile' | 'other';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
export const HELM_CHART_FILE = 'Chart.yaml';

export function isDockerfileName(name: string): boolean {
  const b = basename(name);
  return b === 'Dockerfile' || b === 'Containerfile' || b.endsWith('.Dockerfile') || b.endsWith('.dockerfile') || b.startsWith('Dockerfile.');
}

export function classifyFile(path: string): FileKind {
  if (isDockerfileName(path)) return 'dockerfile';
  if (/\.(ya?ml|json)$/i.test(path)) return 'manifest';
  return 'other';
}

/** Directories never descended into. */
export const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', '.terraform']);
