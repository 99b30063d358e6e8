/**
 * What the node checks know about a node, handed in by a source (src/sources/node-check reads /proc and the host
 * root; tests build it in memory). Reads are synchronous and lazy, so only what a benchmark asks for is read; a
 * read that fails for a reason other than absence throws FactError, and the check that needed it "could not
 * evaluate" with that reason.
 */

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The user name of its uid, as `ps` prints it. */
  user: string;
  /** The kernel's command name (at most 15 characters), which `ps -C` matches. */
  comm: string;
  argv: readonly string[];
}

export interface FileInfo {
  type: 'file' | 'dir' | 'link' | 'other';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Names as `stat -c %U:%G` prints them ("UNKNOWN" when the node's passwd/group do not name them). */
  user: string;
  group: string;
}

export interface NodeFacts {
  /** Every process of the PID namespace, by pid. */
  readonly processes: readonly ProcessEntry[];
  /** The path itself, not what a symbolic link points to (`stat` without -L); undefined when absent. */
  stat(path: string): FileInfo | undefined;
  /** Whether the path exists, following symbolic links (`test -e`). */
  exists(path: string): boolean;
  /** Whether the path is a directory, following symbolic links (`test -d`). */
  isDir(path: string): boolean;
  /** A file's text (bounded); undefined when absent. */
  read(path: string): string | undefined;
  /** `find PATH`: the path and everything below it, in directory order (bounded); undefined when absent. */
  find(path: string): string[] | undefined;
  /** A process's environment, NAME=value entries; undefined when it cannot be read. */
  environ(pid: number): string[] | undefined;
  /** The kubelet's effective configuration from its /configz endpoint (through the API server), when fetched. */
  readonly kubeletConfigz?: Record<string, unknown>;
  /** Set when command lines cannot be seen (facts from the API server): why. Flags are then read only from config. */
  readonly commandLinesUnknown?: string;
  /** Where the facts came from, for evidence ("/host", "the API server's node proxy"). */
  readonly description: string;
}

export class FactError extends Error {}

/** The name under which the kubelet's /configz answer is read, in place of a config file path. */
export const KUBELET_CONFIGZ = "(the kubelet's /configz)";
