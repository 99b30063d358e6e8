/**
 * Analysing an image input (registry reference, OCI layout, docker archive, root filesystem): load it, inventory
 * its packages and judge its hygiene; and its SBOM.
 */
import { inventory } from '../../analysis/images/analyzers/index.js';
import { imageHygiene } from '../../analysis/images/hygiene/findings.js';
import { renderSbom, type SbomFormat } from '../../analysis/images/sbom/render.js';
import type { HygieneOptions, HygieneReport } from '../../analysis/images/hygiene/findings.js';
import type { ImageConfig, OsInfo, Package } from '../../analysis/images/model.js';
import { loadImage } from '../../sources/images/load-image.js';
import type { LoadedImage, LoadImageOptions } from '../../sources/images/load-image.js';
import { formatPlatform } from '../../sources/images/oci-types.js';
import { TOOL } from '../../engine/report.js';

export { SBOM_FORMATS, type SbomFormat } from '../../analysis/images/sbom/render.js';

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
  /** Progress for people: what is analysed, how much was read, the analyzers' notes. */
  onNote?: (message: string) => void;
}

export async function analyzeImage(input: string, opts: AnalyzeOptions): Promise<ImageAnalysis> {
  opts.onNote?.(`analysing ${input}`);
  const loaded = await loadImage(input, opts);
  const inv = inventory(loaded.fs);
  const hygiene = imageHygiene({ image: loaded.handle.reference, config: loaded.handle.config, fs: loaded.fs, layerFiles: loaded.layerFiles, now: opts.now, options: opts.hygiene });
  if (opts.onNote) {
    opts.onNote(`${inv.packages.length} packages, ${loaded.stats.files} files, ${Math.round(loaded.stats.uncompressedBytes / 1048576)} MiB uncompressed`);
    for (const n of inv.notes) opts.onNote(`note: ${n}`);
  }
  return { image: loaded.handle, config: loaded.handle.config, os: inv.os, packages: inv.packages, notes: inv.notes, hygiene, stats: loaded.stats };
}

/** The SBOM of an analysed image (or of packages read from another SBOM, described by `image`). */
export function imageSbom(a: Pick<ImageAnalysis, 'image' | 'os' | 'packages'>, format: SbomFormat, now: Date): string {
  const { image } = a;
  return renderSbom({ image: { name: image.reference, digest: image.manifestDigest, platform: image.platform ? formatPlatform(image.platform) : undefined }, os: a.os, packages: a.packages, tool: TOOL, now }, format);
}
