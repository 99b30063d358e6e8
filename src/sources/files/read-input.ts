/**
 * Reading an input file without trusting it: only regular files, never on a pseudo file system (/proc, /sys, …),
 * their size checked before anything is allocated, and the read itself bounded (a file that grows while being read
 * is refused too). FIFOs, devices and sockets are refused from their stat, without being opened; the open that
 * follows is non-blocking and its fstat must show the same regular file, so a file swapped in between is refused.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, statfsSync } from 'node:fs';
import type { Stats } from 'node:fs';

export class InputRefused extends Error {
  override name = 'InputRefused';
  constructor(
    message: string,
    /** `limit` when the input is too large, `read` otherwise. */
    readonly kind: 'read' | 'limit',
  ) {
    super(message);
  }
}

/**
 * statfs(2) magic numbers of the kernel's pseudo file systems: their files report a size of 0 or 4096 whatever
 * they hold, and reading some of them (/proc/kmsg) blocks forever.
 */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x65735543, 'fusectl'],
  [0x1cd1, 'devpts'],
  [0xf97cff8c, 'selinuxfs'],
  [0x43415d53, 'smackfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
  [0x6e736673, 'nsfs'],
]);

export function fileTypeName(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Why a path cannot be read as an input file (from stat and statfs alone), or undefined when it may be. */
export function refusal(path: string, st: Stats): InputRefused | undefined {
  if (!st.isFile()) return new InputRefused(`refused: ${fileTypeName(st)}, not a regular file (not opened)`, 'read');
  let fsType: number | undefined;
  try {
    fsType = statfsSync(path).type;
  } catch {
    fsType = undefined; // statfs unavailable: the size bound and the non-blocking open still hold
  }
  const pseudo = fsType === undefined ? undefined : PSEUDO_FS.get(fsType);
  if (pseudo) return new InputRefused(`refused: a file of the ${pseudo} pseudo file system (not opened)`, 'read');
  return undefined;
}

/** The bytes of the regular file at `path` (symbolic links followed), at most `max` of them. */
export function readInputFile(path: string, max: number, st: Stats = statSync(path)): Buffer {
  const refused = refusal(path, st);
  if (refused) throw refused;
  if (st.size > max) throw tooLarge(max, st.size);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const now = fstatSync(fd);
    if (!now.isFile() || now.ino !== st.ino || now.dev !== st.dev) throw new InputRefused('refused: the file changed while it was being opened', 'read');
    return readFdBounded(fd, max, st.size);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(max: number, size?: number): InputRefused {
  return new InputRefused(`refused: larger than ${max} bytes${size === undefined ? '' : ` (${size} bytes)`}`, 'limit');
}

/**
 * Reads a descriptor to its end, refusing past `max` bytes (without reading more than max + 1). `expected` sizes
 * the first buffer. A non-blocking descriptor with nothing to read yet (stdin as a pipe) is waited for.
 */
export function readFdBounded(fd: number, max: number, expected = 64 * 1024): Buffer {
  let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(expected + 1, 4096)));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      if (len > max) throw tooLarge(max);
      const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(fd, buf, len, buf.length - len, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      continue;
    }
    if (n === 0) break;
    len += n;
  }
  if (len > max) throw tooLarge(max);
  return buf.subarray(0, len);
}
