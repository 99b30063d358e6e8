/** The runtime detector catalogue: every detector folder, registered through the generated index. */
import type { Detector } from '../core/detector.js';
import { GENERATED_DETECTORS } from '../generated/detectors-index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const DETECTORS: readonly Detector<any>[] = GENERATED_DETECTORS;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function detectorById(id: string): Detector<any> | undefined {
  return DETECTORS.find((d) => d.id === id);
}
