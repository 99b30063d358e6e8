/**
 * What is learnt from an executable's bytes as they stream past (never captured whole): Go build info from any
 * ELF executable, the Node.js version from a binary named like the runtime.
 */
import { GoBuildInfoProbe } from './go-buildinfo.js';
import { NodeVersionProbe, isNodeBinaryCandidate } from './node-binary.js';

export interface BinaryFacts {
  goBuildInfo?: Buffer;
  nodeVersion?: string;
}

export interface BinaryProbe {
  push(chunk: Buffer): void;
  end(): BinaryFacts;
}

/** A probe for this file, or undefined when nothing is learnt from its bytes. */
export function binaryProbe(path: string, mode: number, size: number): BinaryProbe | undefined {
  if ((mode & 0o111) === 0 || size <= 1024) return undefined;
  const go = new GoBuildInfoProbe();
  const node = isNodeBinaryCandidate(path, mode, size) ? new NodeVersionProbe() : undefined;
  return {
    push(chunk) {
      go.push(chunk);
      node?.push(chunk);
    },
    end() {
      const facts: BinaryFacts = {};
      const gbi = go.end();
      if (gbi) facts.goBuildInfo = gbi;
      const version = node?.end();
      if (version) facts.nodeVersion = version;
      return facts;
    },
  };
}
