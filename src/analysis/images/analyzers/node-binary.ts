/**
 * The Node.js runtime binary. Distroless and official Node.js images install node from the release tarball, so
 * no package database records it. Like Syft's binary classifier for node (file named `node`, pattern
 * `node\.js/v(\d+\.\d+\.\d+)`), the version is read from the string the binary embeds (process.release
 * metadata); reported as pkg:generic/node with the NVD CPE vendor/product nodejs:node.js.
 */
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

const MARKER = Buffer.from('node.js/v', 'latin1');
/** The marker plus the longest version text considered. */
const WINDOW = MARKER.length + 24;
const VERSION = /^(\d{1,4}\.\d{1,4}\.\d{1,4})(?![\w.])/;
const NAMES = new Set(['node', 'nodejs']);

/** Whether a file is probed: an executable named like the runtime, large enough to be it. */
export function isNodeBinaryCandidate(path: string, mode: number, size: number): boolean {
  return (mode & 0o111) !== 0 && size > 1024 * 1024 && NAMES.has(path.slice(path.lastIndexOf('/') + 1));
}

/** Streams a file's bytes and finds the first `node.js/v<version>` (which may straddle chunks). */
export class NodeVersionProbe {
  private carry: Buffer = Buffer.alloc(0);
  private found: string | undefined;

  push(chunk: Buffer): void {
    if (this.found !== undefined) return;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    for (let i = data.indexOf(MARKER); i >= 0; i = data.indexOf(MARKER, i + 1)) {
      if (i + WINDOW > data.length) break; // the version may continue in the next chunk
      const m = VERSION.exec(data.toString('latin1', i + MARKER.length, i + WINDOW));
      if (m) {
        this.found = m[1];
        return;
      }
    }
    this.carry = Buffer.from(data.subarray(Math.max(0, data.length - WINDOW + 1)));
  }

  end(): string | undefined {
    if (this.found === undefined) {
      const i = this.carry.indexOf(MARKER);
      if (i >= 0) this.found = VERSION.exec(this.carry.toString('latin1', i + MARKER.length))?.[1];
    }
    this.carry = Buffer.alloc(0);
    return this.found;
  }
}

export const nodeBinaryAnalyzer: Analyzer = {
  name: 'node-binary',
  wants: () => 0, // probed while streaming, not captured
  analyze({ files }: AnalyzerInput): Package[] {
    const out: Package[] = [];
    for (const f of files) {
      const version = f.node.nodeVersion;
      if (!version) continue;
      out.push({
        ecosystem: 'generic',
        name: 'node',
        version,
        purl: purl('generic', undefined, 'node', version),
        licenses: ['MIT'],
        locations: [{ path: f.path, layer: f.node.layer }],
        properties: { binary: f.path, cpe: `cpe:2.3:a:nodejs:node.js:${version}:*:*:*:*:*:*:*` },
      });
    }
    return out;
  },
};
