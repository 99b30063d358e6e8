/**
 * Was an executable written after its container started? A container's root is an overlay mount whose upper
 * (writable) directory starts empty; a file found there was created or changed since — it is not part of the
 * image (Falco's proc.is_exe_upper_layer asks the same of the kernel). The mount that holds the executable comes
 * from /proc/PID/mountinfo (cached per mount namespace); its upper directory is a path in the host's mount
 * namespace, read under `hostRoot` (the host's / mounted into the sensor's pod).
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { Procfs } from '@stroncium/procfs';
import type { ProcessMountinfo } from '@stroncium/procfs';
import { BoundedMap } from '../../core/bounded-map.js';

export interface OverlayMount {
  mountPoint: string;
  /** The mount's root inside its filesystem (`/` for a container's root). */
  root: string;
  upperdir: string;
}

interface Mount {
  mountPoint: string;
  root: string;
  type: string;
  superOptions: string[];
}

/** The overlay mount that holds `path` (the deepest mount point above it), when that mount is an overlay with an upper dir. */
export function overlayHolding(mounts: readonly Mount[], path: string): OverlayMount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const mp = m.mountPoint;
    const under = mp === '/' || path === mp || path.startsWith(mp.endsWith('/') ? mp : mp + '/');
    if (under && (!best || mp.length >= best.mountPoint.length)) best = m;
  }
  if (!best || best.type !== 'overlay') return undefined;
  const upper = best.superOptions.find((o) => o.startsWith('upperdir='));
  if (!upper) return undefined;
  return { mountPoint: best.mountPoint, root: best.root, upperdir: upper.slice('upperdir='.length) };
}

/** Where `path` (as the process sees it) would be in the overlay's upper directory. */
export function upperPath(mount: OverlayMount, path: string): string {
  const rel = mount.mountPoint === '/' ? path : path.slice(mount.mountPoint.length);
  const root = mount.root === '/' ? '' : mount.root;
  return `${mount.upperdir}${root}${rel.startsWith('/') ? rel : '/' + rel}`;
}

export class UpperLayerCheck {
  private readonly procfs: Procfs;
  private readonly byMountNs: BoundedMap<string, readonly Mount[]>;

  constructor(
    private readonly procRoot = '/proc',
    private readonly hostRoot = '',
    maxNamespaces = 4096,
  ) {
    this.procfs = new Procfs(procRoot);
    this.byMountNs = new BoundedMap(maxNamespaces);
  }

  /** true: in the upper layer; false: in a lower (image) layer or not on an overlay; undefined: could not tell. */
  exeInUpperLayer(pid: number, exe: string): boolean | undefined {
    let mounts = this.mountsOf(pid, false);
    if (!mounts) return undefined;
    let overlay = overlayHolding(mounts, exe);
    if (!overlay) {
      // the cached table may predate a mount: read it again before saying no
      mounts = this.mountsOf(pid, true);
      overlay = mounts && overlayHolding(mounts, exe);
      if (!overlay) return mounts ? false : undefined;
    }
    try {
      return lstatSync(this.hostRoot + upperPath(overlay, exe)).isFile();
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? false : undefined;
    }
  }

  private mountsOf(pid: number, fresh: boolean): readonly Mount[] | undefined {
    let ns: string;
    try {
      ns = readlinkSync(`${this.procRoot}/${pid}/ns/mnt`);
    } catch {
      return undefined;
    }
    const cached = fresh ? undefined : this.byMountNs.get(ns);
    if (cached) return cached;
    this.byMountNs.delete(ns);
    let mounts: Mount[];
    try {
      // the library returns one entry per line; its published types say a single entry
      const lines = this.procfs.processMountinfo(pid) as unknown as ProcessMountinfo[];
      mounts = lines.map((m) => ({ mountPoint: m.mountPoint, root: m.root, type: String(m.type), superOptions: m.superOptions }));
    } catch {
      return undefined;
    }
    // mounts change rarely after a container starts; a bounded cache, least recently used namespace out first
    this.byMountNs.set(ns, mounts);
    return mounts;
  }
}
