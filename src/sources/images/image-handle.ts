import type { ImageConfig } from '../../analysis/images/model.js';
import type { LayerBlob } from './layer-stream.js';
import type { Platform } from './oci-types.js';

export type ImageInputKind = 'registry' | 'oci-layout' | 'docker-archive' | 'rootfs';

/** An opened image: config and layers ready to be streamed, whatever the input was. */
export interface ImageHandle {
  kind: ImageInputKind;
  /** What the user gave (reference or path). */
  reference: string;
  /** Digest of the manifest that was selected (registry, OCI layout). */
  manifestDigest?: string;
  /** Digest of the index the manifest came from, when a platform was selected from one. */
  indexDigest?: string;
  platform?: Platform;
  config?: ImageConfig;
  configDigest?: string;
  layers: LayerBlob[];
  /** Release files and sockets held open. */
  close?(): Promise<void>;
}
