/** An SBOM in the format asked for. */
import { toCycloneDx } from './cyclonedx.js';
import type { SbomInput } from './input.js';
import { toSpdx } from './spdx.js';
import { toTable } from './table.js';

export type SbomFormat = 'cyclonedx-json' | 'spdx-json' | 'table';
export const SBOM_FORMATS: readonly SbomFormat[] = ['cyclonedx-json', 'spdx-json', 'table'];

export function renderSbom(input: SbomInput, format: SbomFormat): string {
  if (format === 'cyclonedx-json') return toCycloneDx(input) + '\n';
  if (format === 'spdx-json') return toSpdx(input) + '\n';
  return toTable(input);
}
