import type { FsNode, LayeredFs } from '../fs/layered-fs.js';
import type { OsInfo, Package } from '../model.js';

/** A captured file handed to analyzers: its absolute in-image path and node (with content). */
export interface CapturedFile {
  path: string;
  node: FsNode;
}

export interface AnalyzerInput {
  fs: LayeredFs;
  /** Files whose content (or Go build info) was captured while streaming the layers. */
  files: readonly CapturedFile[];
  os?: OsInfo;
  /** Problems that did not stop the analysis (a corrupt METADATA, an unreadable jar). */
  notes: string[];
}

export interface Analyzer {
  name: string;
  /** Bytes of this file to keep while streaming (0: not wanted). Decided on the entry path and size only. */
  wants(path: string, size: number): number;
  analyze(input: AnalyzerInput): Package[];
}
