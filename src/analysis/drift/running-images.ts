/**
 * A tag that moved under a workload: the image a manifest names by tag, against the digests its live Pods run
 * (status.containerStatuses[].imageID) and the digest that was scanned for that tag. The object did not change —
 * the registry did — so this is image drift the field comparison cannot see.
 */
import type { KubeObject, Severity } from '../../core/model.js';
import { isJsonMap } from '../../core/json.js';
import { controllerRef } from '../../core/ref.js';
import { allContainers, podTemplateOf } from '../../core/podspec.js';
import { parseImageRef } from '../../core/image-ref.js';

export interface MovedTag {
  /** Pointer to the container's image in the workload. */
  path: string;
  image: string;
  running: string[];
  scanned?: string[];
  why: string;
  severity: Severity;
}

/** The live Pods by the workload that controls them (directly or through a ReplicaSet or Job), built once. */
export class PodOwners {
  private readonly byTop = new Map<string, KubeObject[]>();

  constructor(live: readonly KubeObject[]) {
    const byUid = new Map<string, KubeObject>();
    const byName = new Map<string, KubeObject>();
    for (const o of live) {
      if (typeof o.metadata?.uid === 'string') byUid.set(o.metadata.uid, o);
      byName.set(`${o.metadata?.namespace}/${o.kind}/${o.metadata?.name}`, o);
    }
    for (const p of live) {
      if (p.kind !== 'Pod') continue;
      let cur: KubeObject | undefined = p;
      for (let depth = 0; depth < 3 && cur; depth++) {
        const owner = controllerRef(cur);
        if (!owner) break;
        cur = (owner.uid !== undefined ? byUid.get(owner.uid) : undefined) ?? byName.get(`${p.metadata?.namespace}/${owner.kind}/${owner.name}`);
        if (cur) {
          const id = PodOwners.key(cur);
          (this.byTop.get(id) ?? this.byTop.set(id, []).get(id)!).push(p);
        }
      }
    }
  }

  static key(o: KubeObject): string {
    return `${o.metadata?.namespace}/${o.kind}/${o.metadata?.name}`;
  }

  podsOf(workload: KubeObject): readonly KubeObject[] {
    return this.byTop.get(PodOwners.key(workload)) ?? [];
  }
}

function digestOf(imageID: unknown): string | undefined {
  if (typeof imageID !== 'string') return undefined;
  const at = imageID.lastIndexOf('@');
  return at >= 0 && imageID.slice(at + 1).startsWith('sha256:') ? imageID.slice(at + 1) : undefined;
}

/**
 * Tags of the workload whose Pods run more than one digest, or another digest than the one scanned for the tag
 * (`scannedDigests(image)`: the manifest and index digests of the newest scan of that tag).
 */
export function movedTags(workload: KubeObject, owners: PodOwners, scannedDigests?: (image: string) => string[] | undefined): MovedTag[] {
  const template = podTemplateOf(workload);
  if (!template) return [];
  const pods = owners.podsOf(workload);
  if (!pods.length) return [];
  const out: MovedTag[] = [];
  for (const c of allContainers(template.spec, template.specPath)) {
    const image = c.container.image;
    if (typeof image !== 'string' || parseImageRef(image).digest) continue;
    const running = new Set<string>();
    for (const p of pods) {
      const status = isJsonMap(p.status) ? p.status : {};
      for (const list of [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]) {
        if (!Array.isArray(list)) continue;
        for (const s of list) if (isJsonMap(s) && s.name === c.container.name) {
          const d = digestOf(s.imageID);
          if (d) running.add(d);
        }
      }
    }
    if (!running.size) continue;
    const digests = [...running].sort();
    const scanned = scannedDigests?.(image);
    const unscanned = scanned ? digests.filter((d) => !scanned.includes(d)) : [];
    if (digests.length > 1) {
      out.push({ path: `${c.path}/image`, image, running: digests, ...(scanned ? { scanned } : {}), why: `tag moved: the pods run ${digests.length} digests of ${image}${unscanned.length ? `, ${unscanned.length} not the scanned one` : ''}`, severity: unscanned.length ? 'high' : 'medium' });
    } else if (scanned && unscanned.length) {
      out.push({ path: `${c.path}/image`, image, running: digests, scanned, why: `tag moved since it was scanned: the pods run ${digests[0]}, the scan was of ${scanned[0]}`, severity: 'high' });
    }
  }
  return out;
}
