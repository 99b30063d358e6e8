import type { OsInfo, Package } from '../model.js';

/** What an SBOM describes: one image (or root filesystem) and the packages found in it. */
export interface SbomInput {
  image: { name: string; digest?: string; platform?: string };
  os?: OsInfo;
  packages: readonly Package[];
  tool: { name: string; version: string };
  /** Document creation time (passed in: analysis has no clock). */
  now: Date;
}
