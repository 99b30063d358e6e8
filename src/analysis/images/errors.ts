import { KubeguardError } from '../../core/errors.js';

/** An image (archive, layer, manifest) tried something unsafe: tar-slip, symlink escape. Refused. */
export class ImageSecurityError extends KubeguardError {
  constructor(
    message: string,
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bound was exceeded: too many files, too large, decompression ratio of a bomb, huge manifest. */
export class ImageLimitError extends KubeguardError {
  constructor(
    message: string,
    readonly limit: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The image is malformed (bad manifest, missing blob, digest mismatch). */
export class ImageFormatError extends KubeguardError {}
