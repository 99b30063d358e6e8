/**
 * Runs the image gates of a request within the time left. Images are collected from every container (init and
 * ephemeral included) and de-duplicated, so each distinct image is checked once per request however many
 * containers use it. A gate that throws, or has not answered by the deadline, leaves its images undecided.
 */
import type { KubeObject } from '../../../core/model.js';
import { errorMessage } from '../../../core/errors.js';
import { containerImages } from '../../../rules/workload/images.js';
import type { GateContext, GateImage, GateResult, ImageGate } from './types.js';

export interface GateOutcome {
  gate: string;
  result: GateResult;
  /** True when the gate did not answer in time. */
  timedOut: boolean;
}

/** Distinct images of a pod-bearing object, each with every pointer that uses it. */
export function imagesOf(obj: KubeObject): GateImage[] {
  const byImage = new Map<string, GateImage>();
  for (const { image, path } of containerImages(obj)) {
    const seen = byImage.get(image.raw);
    if (seen) seen.paths.push(path);
    else byImage.set(image.raw, { image: image.raw, ref: image, paths: [path] });
  }
  return [...byImage.values()];
}

function undecidedAll(images: readonly GateImage[], reason: string): GateResult {
  return { violations: [], undecided: images.map((i) => ({ image: i.image, path: i.paths[0], reason })) };
}

export async function runGates(gates: readonly ImageGate[], images: readonly GateImage[], ctx: Omit<GateContext, 'signal'>): Promise<GateOutcome[]> {
  if (gates.length === 0 || images.length === 0) return [];
  const controller = new AbortController();
  const remaining = Math.max(0, ctx.deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('admission budget exhausted'));
      resolve('timeout');
    }, remaining);
  });
  const gateCtx: GateContext = { ...ctx, signal: controller.signal };
  try {
    return await Promise.all(
      gates.map(async (gate): Promise<GateOutcome> => {
        const run = gate.check(images, gateCtx).then(
          (result) => ({ gate: gate.name, result, timedOut: false }),
          (e: unknown) => ({ gate: gate.name, result: undecidedAll(images, `gate ${gate.name} failed: ${errorMessage(e)}`), timedOut: false }),
        );
        const first = await Promise.race([run, expired]);
        if (first === 'timeout') return { gate: gate.name, result: undecidedAll(images, `gate ${gate.name} did not answer within the ${remaining} ms left of the request budget`), timedOut: true };
        return first;
      }),
    );
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
