/**
 * Tag → digest pinning for the mutating endpoint (`admission.mutate.pinDigests`): every image without a
 * digest is resolved once per request and rewritten to `name:tag@sha256:…`, so what runs is exactly what was
 * resolved (and what the signature gate verified). Resolution failures and timeouts never deny: the image
 * is left as written and a warning says why.
 */
import type { JsonPatchOp, KubeObject } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { isValidDigest } from '../../core/image-ref.js';
import { imagesOf } from './gates/run.js';

/** Resolves an image reference to its manifest digest (e.g. through the registry). */
export type ResolveDigest = (image: string, signal: AbortSignal) => Promise<string>;

export async function pinDigestsPatch(obj: KubeObject, resolve: ResolveDigest, deadline: number): Promise<{ ops: JsonPatchOp[]; notes: string[] }> {
  const ops: JsonPatchOp[] = [];
  const notes: string[] = [];
  const pending = imagesOf(obj).filter((i) => i.ref.digest === undefined);
  if (pending.length === 0) return { ops, notes };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), Math.max(0, deadline - Date.now()))));
  try {
    await Promise.all(
      pending.map(async (img) => {
        const outcome = await Promise.race([resolve(img.image, controller.signal).then((d) => ({ digest: d }), (e: unknown) => ({ error: errorMessage(e) })), expired]);
        if (outcome === 'timeout') return notes.push(`image "${img.image}" was not pinned: digest not resolved in time`);
        if ('error' in outcome) return notes.push(`image "${img.image}" was not pinned: ${outcome.error}`);
        // written into the pod: a well-formed sha256, the digest every runtime accepts
        if (!outcome.digest.startsWith('sha256:') || !isValidDigest(outcome.digest)) return notes.push(`image "${img.image}" was not pinned: unexpected digest ${outcome.digest}`);
        for (const path of img.paths) ops.push({ op: 'replace', path, value: `${img.image}@${outcome.digest}` });
      }),
    );
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { ops, notes };
}
