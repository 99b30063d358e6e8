/**
 * The one seam between image loading (sources/images: layers, root filesystems) and the analyzers: for each
 * regular file as it passes, what to capture. Loaders ask this and nothing else, so a new analyzer (or a new
 * loader) changes one place, and a layer and the same files as a root filesystem capture the same.
 */
import { analyzerWants } from './analyzers/index.js';
import { binaryProbe, type BinaryProbe } from './analyzers/binary-probe.js';
import { secretCandidateLimit } from './hygiene/secrets.js';

export interface Capture {
  /** Keep the content for the package analyzers (node.content). */
  keep: boolean;
  /** Keep the content as a secret candidate of its layer (also when a later layer deletes it). */
  secret: boolean;
  /** Probe the stream of an executable (Go build info, Node.js version) without keeping it. */
  probe?: BinaryProbe;
}

const NOTHING: Capture = { keep: false, secret: false };

/** What to capture of a regular file of `size` bytes at `path` (absolute, in the image) with Unix `mode`. */
export function captureFor(path: string, size: number, mode: number): Capture {
  if (size === 0) return NOTHING;
  const keep = analyzerWants(path, size) >= size;
  const secret = secretCandidateLimit(path, size) >= size;
  const probe = binaryProbe(path, mode, size);
  return keep || secret || probe ? { keep, secret, ...(probe && { probe }) } : NOTHING;
}

/** Whether the capture keeps the bytes (and so counts against the captured-bytes limit). */
export function keepsContent(c: Capture): boolean {
  return c.keep || c.secret;
}
