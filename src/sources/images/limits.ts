/** Bounds applied while reading images. Every one is a guard against hostile or broken input. */
export interface ImageLimits {
  /** Entries in the final filesystem index. */
  maxFiles: number;
  /** Uncompressed bytes of one layer. */
  maxLayerBytes: number;
  /** Uncompressed bytes of all layers together. */
  maxTotalBytes: number;
  /** Decompression ratio (uncompressed ÷ compressed) refused once past `ratioCheckAfter` bytes: a bomb. */
  maxRatio: number;
  ratioCheckAfter: number;
  /** Manifests, indexes and configs (JSON documents) are read up to this size. */
  maxManifestBytes: number;
  maxConfigBytes: number;
  /** Captured file contents kept in memory, all together. */
  maxCapturedBytes: number;
  /** Layers per image. */
  maxLayers: number;
}

export const DEFAULT_LIMITS: ImageLimits = {
  maxFiles: 5_000_000,
  maxLayerBytes: 32 * 1024 ** 3,
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 200,
  ratioCheckAfter: 64 * 1024 * 1024,
  maxManifestBytes: 4 * 1024 * 1024,
  maxConfigBytes: 16 * 1024 * 1024,
  maxCapturedBytes: 1024 * 1024 * 1024,
  maxLayers: 256,
};

export function withLimits(partial?: Partial<ImageLimits>): ImageLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
