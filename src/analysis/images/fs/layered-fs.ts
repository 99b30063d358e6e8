/**
 * The final filesystem of an image as an index over its layers: metadata for every path, contents only for
 * the few files analyzers asked for. Nothing is extracted to disk. Whiteouts follow the OCI image spec
 * (image-spec layer.md "Whiteouts"): `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` hides
 * every lower-layer child of its directory.
 */
import { ImageLimitError, ImageSecurityError } from '../errors.js';
import { entryComponents, resolveLinkTarget, toAbsolute } from './paths.js';

export type NodeType = 'file' | 'dir' | 'symlink' | 'other';

export interface FsNode {
  type: NodeType;
  /** Permission and special bits (setuid 0o4000, setgid 0o2000). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Symlink target as written. */
  linkname?: string;
  /** Layer that last wrote this path. */
  layer: number;
  /** Captured content (only for files an analyzer wanted, bounded). */
  content?: Buffer;
  /** Bytes after the Go build-info magic, when the file is a Go binary. */
  goBuildInfo?: Buffer;
  /** The Node.js version a runtime binary embeds (analyzers/node-binary.ts). */
  nodeVersion?: string;
  children?: Map<string, FsNode>;
}

export interface EntryHeader {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  mode: number;
  uid?: number;
  gid?: number;
  size: number;
  linkname?: string;
}

export interface FsLimits {
  maxFiles: number;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
const MAX_LINK_HOPS = 40;

/** Every node has the same fields in the same order (one object shape: an index holds millions of them). */
function makeNode(type: NodeType, mode: number, uid: number, gid: number, size: number, layer: number, linkname?: string, children?: Map<string, FsNode>): FsNode {
  return { type, mode, uid, gid, size, linkname, layer, content: undefined, goBuildInfo: undefined, nodeVersion: undefined, children };
}

function newDir(layer: number): FsNode {
  return makeNode('dir', 0o755, 0, 0, 0, layer, undefined, new Map());
}

export class LayeredFs {
  readonly root: FsNode = newDir(-1);
  private layer = 0;
  private count = 0;

  constructor(private readonly limits: FsLimits = { maxFiles: 5_000_000 }) {}

  get fileCount(): number {
    return this.count;
  }

  beginLayer(index: number): void {
    this.layer = index;
  }

  /**
   * Applies one tar entry of the current layer. Returns the node created (to attach content to), or
   * undefined for whiteouts and entries that create nothing. `split` is entryComponents(h.name) when the
   * caller already has it.
   */
  addEntry(h: EntryHeader, split?: string[]): FsNode | undefined {
    const parts = split ?? entryComponents(h.name);
    if (parts.length === 0) return undefined; // the root itself
    const base = parts[parts.length - 1];
    const parent = this.ensureDir(parts, h.name);
    if (base === OPAQUE_WHITEOUT) {
      for (const [k, child] of parent.children!) if (child.layer < this.layer) parent.children!.delete(k);
      return undefined;
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      parent.children!.delete(base.slice(WHITEOUT_PREFIX.length));
      return undefined;
    }
    if (++this.count > this.limits.maxFiles) {
      throw new ImageLimitError(`image has more than ${this.limits.maxFiles} filesystem entries`, 'maxFiles');
    }
    const existing = parent.children!.get(base);
    const mode = h.mode & 0o7777;
    const uid = h.uid ?? 0;
    const gid = h.gid ?? 0;
    let node: FsNode;
    switch (h.type) {
      case 'directory':
        if (existing?.type === 'dir') {
          existing.mode = mode;
          existing.uid = uid;
          existing.gid = gid;
          existing.layer = this.layer;
          return existing;
        }
        node = makeNode('dir', mode, uid, gid, 0, this.layer, undefined, new Map());
        break;
      case 'symlink':
        node = makeNode('symlink', mode, uid, gid, 0, this.layer, h.linkname ?? '');
        break;
      case 'link': {
        // Hard link: the target is another entry of this or a lower layer (tar semantics). Directories cannot
        // be hard-linked; an archive that tries is ignored for it (a childless 'dir' node would break lookups).
        const target = this.lookupExact(entryComponents(h.linkname ?? ''));
        if (!target || target.type === 'dir') return undefined;
        node = makeNode(target.type, target.mode, uid, gid, target.size, this.layer, target.linkname);
        node.content = target.content;
        node.goBuildInfo = target.goBuildInfo;
        node.nodeVersion = target.nodeVersion;
        break;
      }
      case 'file':
        node = makeNode('file', mode, uid, gid, h.size, this.layer);
        break;
      default:
        node = makeNode('other', mode, uid, gid, 0, this.layer);
    }
    parent.children!.set(base, node);
    return node;
  }

  /**
   * Finds (creating as needed) the directory holding the entry `parts` names (all components but the
   * last), following symlinks inside the root.
   */
  private ensureDir(parts: readonly string[], entryName: string): FsNode {
    let dir = this.root;
    let i = 0;
    const end = parts.length - 1;
    // Fast path: plain directories, no copies. A symlink on the way hands over to the general walk.
    for (; i < end; i++) {
      const child = dir.children!.get(parts[i]);
      if (child?.type === 'symlink') break;
      if (child?.type === 'dir') dir = child;
      else {
        const made = newDir(this.layer);
        dir.children!.set(parts[i], made);
        dir = made;
      }
    }
    return i === end ? dir : this.ensureDirThroughLinks(parts.slice(0, end), entryName);
  }

  private ensureDirThroughLinks(parts: readonly string[], entryName: string): FsNode {
    let dir = this.root;
    let path: string[] = [];
    let hops = 0;
    const queue = [...parts];
    while (queue.length > 0) {
      const p = queue.shift()!;
      let child = dir.children!.get(p);
      if (child?.type === 'symlink') {
        const { parts: target, escapes } = resolveLinkTarget(path, child.linkname ?? '');
        if (escapes) {
          throw new ImageSecurityError(
            `refused archive entry "${entryName}": it is written through symlink /${[...path, p].join('/')} -> ${child.linkname}, which points outside the image root`,
            entryName,
          );
        }
        if (++hops > MAX_LINK_HOPS) throw new ImageSecurityError(`refused archive entry "${entryName}": too many symlink levels`, entryName);
        queue.unshift(...target);
        dir = this.root;
        path = [];
        continue;
      }
      if (!child || child.type !== 'dir') {
        child = newDir(this.layer);
        dir.children!.set(p, child);
      }
      dir = child;
      path.push(p);
    }
    return dir;
  }

  private lookupExact(parts: readonly string[]): FsNode | undefined {
    let node: FsNode | undefined = this.root;
    for (const p of parts) {
      node = node?.children?.get(p);
      if (!node) return undefined;
    }
    return node;
  }

  /** Resolves a path inside the image, following symlinks (clamped at the image root). */
  resolve(path: string, followLast = true): { node: FsNode; path: string } | undefined {
    let hops = 0;
    let queue = path.split('/').filter((p) => p !== '' && p !== '.');
    let cur: string[] = [];
    let node: FsNode = this.root;
    while (queue.length > 0) {
      const p = queue.shift()!;
      if (p === '..') {
        cur.pop();
        node = this.lookupExact(cur) ?? this.root;
        continue;
      }
      const child = node.children?.get(p);
      if (!child) return undefined;
      if (child.type === 'symlink' && (queue.length > 0 || followLast)) {
        if (++hops > MAX_LINK_HOPS) return undefined;
        const { parts } = resolveLinkTarget(cur, child.linkname ?? '');
        queue = [...parts, ...queue];
        cur = [];
        node = this.root;
        continue;
      }
      node = child;
      cur.push(p);
    }
    return { node, path: toAbsolute(cur) };
  }

  stat(path: string): FsNode | undefined {
    return this.resolve(path)?.node;
  }

  lstat(path: string): FsNode | undefined {
    return this.resolve(path, false)?.node;
  }

  /** Captured content of a file (following symlinks), or undefined when absent or not captured. */
  readFile(path: string): Buffer | undefined {
    const n = this.stat(path);
    return n?.type === 'file' ? n.content : undefined;
  }

  /**
   * Every entry of the final filesystem, depth first, with its absolute path. Directories included. With
   * `only`, just the entries it accepts (all directories are still descended into); paths are built for
   * those alone, which matters when a few hundred of a million entries are wanted.
   */
  *walk(only?: (node: FsNode) => boolean): Generator<[string, FsNode]> {
    const stack: [string, FsNode][] = [['', this.root]];
    while (stack.length > 0) {
      const [prefix, dir] = stack.pop()!;
      // forEach, not for-of: no [key, value] array per child, and most children are neither wanted nor dirs.
      const found: [string, FsNode][] = [];
      dir.children!.forEach((child, name) => {
        const isDir = child.type === 'dir';
        const wanted = !only || only(child);
        if (!wanted && !isDir) return;
        const p = `${prefix}/${name}`;
        if (wanted) found.push([p, child]);
        if (isDir) stack.push([p, child]);
      });
      yield* found;
    }
  }
}
