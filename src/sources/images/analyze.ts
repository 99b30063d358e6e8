/**
 * The library entry points for images: analyse an input (registry reference, OCI layout, docker archive,
 * rootfs) into packages and hygiene findings, and render an SBOM.
 */
import { inventory } from '../../analysis/images/analyzers/index.js';
import { imageHygiene } from '../../analysis/images/hygiene/findings.js';
import { toCycloneDx } from '../../analysis/images/sbom/cyclonedx.js';
import { toSpdx } from '../../analysis/images/sbom/spdx.js';
import { toTable } from '../../analysis/images/sbom/table.js';
import { loadImage } from './load-image.js';
import { formatPlatform } from './oci-types.js';
import type { HygieneOptions, HygieneReport } from '../../analysis/images/hygiene/findings.js';
import type { ImageConfig, OsInfo, Package } from '../../analysis/images/model.js';
import type { SbomInput } from '../../analysis/images/sbom/input.js';
import type { LoadedImage, LoadImageOptions } from './load-image.js';

export interface ImageAnalysis {
  image: LoadedImage['handle'];
  config?: ImageConfig;
  os?: OsInfo;
  packages: Package[];
  notes: string[];
  hygiene: HygieneReport;
  stats: LoadedImage['stats'];
}

export interface AnalyzeOptions extends LoadImageOptions {
  now: Date;
  hygiene?: HygieneOptions;
}

export async function analyzeImage(input: string, opts: AnalyzeOptions): Promise<ImageAnalysis> {
  const loaded = await loadImage(input, opts);
  const inv = inventory(loaded.fs);
  const hygiene = imageHygiene({ image: loaded.handle.reference, config: loaded.handle.config, fs: loaded.fs, layerFiles: loaded.layerFiles, now: opts.now, options: opts.hygiene });
  return { image: loaded.handle, config: loaded.handle.config, os: inv.os, packages: inv.packages, notes: inv.notes, hygiene, stats: loaded.stats };
}

export type SbomFormat = 'cyclonedx-json' | 'spdx-json' | 'table';
export const SBOM_FORMATS: readonly SbomFormat[] = ['cyclonedx-json', 'spdx-json', 'table'];

export function renderSbom(a: Pick<ImageAnalysis, 'image' | 'os' | 'packages'>, format: SbomFormat, now: Date, tool = { name: 'kubeguard', version: '0.1.0' }): string {
  const input: SbomInput = {
    image: { name: a.image.reference, digest: a.image.manifestDigest, platform: a.image.platform ? formatPlatform(a.image.platform) : undefined },
    os: a.os,
    packages: a.packages,
    tool,
    now,
  };
  if (format === 'cyclonedx-json') return toCycloneDx(input) + '\n';
  if (format === 'spdx-json') return toSpdx(input) + '\n';
  return toTable(input);
}
