/**
 * Go binaries: the build info the linker embeds (Go ≥ 1.18 inline format), as read by Go's own
 * src/debug/buildinfo/buildinfo.go: a 32-byte header starting with "\xff Go buildinf:", pointer size,
 * flags (bit 2 = strings inline), then two uvarint-length strings: the Go version and the module info,
 * whose text is framed by 16-byte sentinels and parsed like runtime/debug.ParseBuildInfo.
 */
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { Package } from '../model.js';

export const GO_BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const CAPTURE = 256 * 1024;
const MAX_CANDIDATES = 4;

/**
 * Streams a file's bytes and keeps up to CAPTURE bytes after each occurrence of the build-info magic
 * (a few candidates: the literal can also appear in rodata of programs that read build info).
 */
export class GoBuildInfoProbe {
  private tail = Buffer.alloc(0);
  private capturing: Buffer[] | undefined;
  private capturedLen = 0;
  private first = true;
  private elf = false;
  readonly candidates: Buffer[] = [];

  push(chunk: Buffer): void {
    if (this.first) {
      this.first = false;
      this.elf = chunk.length >= 4 && chunk[0] === 0x7f && chunk.toString('latin1', 1, 4) === 'ELF';
    }
    if (!this.elf) return;
    let data = chunk;
    while (data.length > 0 && this.candidates.length < MAX_CANDIDATES) {
      if (this.capturing) {
        const take = Math.min(CAPTURE - this.capturedLen, data.length);
        this.capturing.push(Buffer.from(data.subarray(0, take)));
        this.capturedLen += take;
        data = data.subarray(take);
        if (this.capturedLen >= CAPTURE) this.finishCandidate();
        continue;
      }
      // The magic may straddle the previous chunk: look at the seam only, never copy whole chunks.
      if (this.tail.length) {
        const seam = Buffer.concat([this.tail, data.subarray(0, GO_BUILDINFO_MAGIC.length - 1)]);
        this.tail = Buffer.alloc(0);
        const j = seam.indexOf(GO_BUILDINFO_MAGIC);
        if (j >= 0) {
          const fromSeam = seam.subarray(j);
          this.capturing = [Buffer.from(fromSeam)];
          this.capturedLen = fromSeam.length;
          data = data.subarray(GO_BUILDINFO_MAGIC.length - 1);
          continue;
        }
      }
      const i = data.indexOf(GO_BUILDINFO_MAGIC);
      if (i < 0) {
        this.tail = Buffer.from(data.subarray(Math.max(0, data.length - GO_BUILDINFO_MAGIC.length + 1)));
        return;
      }
      this.capturing = [];
      this.capturedLen = 0;
      data = data.subarray(i);
    }
  }

  private finishCandidate(): void {
    if (!this.capturing) return;
    const c = Buffer.concat(this.capturing);
    this.capturing = undefined;
    this.capturedLen = 0;
    if (c.length === 0) return;
    this.candidates.push(c);
    // Later occurrences inside this window are candidates too (the first may be a string literal).
    for (let j = c.indexOf(GO_BUILDINFO_MAGIC, 1); j >= 0 && this.candidates.length < MAX_CANDIDATES; j = c.indexOf(GO_BUILDINFO_MAGIC, j + 1)) {
      this.candidates.push(c.subarray(j));
    }
    this.tail = Buffer.from(c.subarray(Math.max(0, c.length - GO_BUILDINFO_MAGIC.length + 1)));
  }

  /** Call at end of file. */
  end(): Buffer | undefined {
    this.finishCandidate();
    return this.candidates.find((c) => parseGoBuildInfo(c) !== undefined);
  }
}

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  /** Local directory replacement. */
  replacedBy?: string;
}

export interface GoBuildInfo {
  goVersion: string;
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
}

function uvarint(buf: Buffer, off: number): [number, number] | undefined {
  let x = 0;
  let s = 0;
  for (let i = 0; i < 10 && off + i < buf.length; i++) {
    const b = buf[off + i];
    if (b < 0x80) return [x + b * 2 ** s, off + i + 1];
    x += (b & 0x7f) * 2 ** s;
    s += 7;
  }
  return undefined;
}

function readString(buf: Buffer, off: number): [string, number] | undefined {
  const v = uvarint(buf, off);
  if (!v || v[1] + v[0] > buf.length) return undefined;
  return [buf.toString('utf8', v[1], v[1] + v[0]), v[1] + v[0]];
}

/** Parses the bytes starting at the magic. Undefined when not a valid (≥ 1.18 inline) build info. */
export function parseGoBuildInfo(data: Buffer): GoBuildInfo | undefined {
  if (data.length < 33 || !data.subarray(0, 14).equals(GO_BUILDINFO_MAGIC)) return undefined;
  const ptrSize = data[14];
  const flags = data[15];
  if ((ptrSize !== 4 && ptrSize !== 8) || (flags & 2) === 0) return undefined;
  const v = readString(data, 32);
  if (!v || !v[0].startsWith('go')) return undefined;
  const m = readString(data, v[1]);
  if (!m) return undefined;
  let mod = m[0];
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  const info: GoBuildInfo = { goVersion: v[0], deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of mod.split('\n')) {
    const f = line.split('\t');
    switch (f[0]) {
      case 'path':
        info.path = f[1];
        break;
      case 'mod':
        info.main = { path: f[1], version: f[2] ?? '', sum: f[3] };
        last = info.main;
        break;
      case 'dep':
        last = { path: f[1], version: f[2] ?? '', sum: f[3] };
        info.deps.push(last);
        break;
      case '=>':
        // A replacement of the previous module: a module replacement's path and version are what was built;
        // a local directory replacement (`=> ../lib (devel)`) keeps the required path and version.
        if (last && f[2] && f[2] !== '(devel)' && !/^[./]/.test(f[1])) Object.assign(last, { path: f[1], version: f[2], sum: f[3] });
        else if (last) last.replacedBy = f[1];
        break;
      case 'build': {
        const eq = f[1]?.indexOf('=') ?? -1;
        if (eq > 0) info.settings[f[1].slice(0, eq)] = f[1].slice(eq + 1);
        break;
      }
    }
  }
  return info;
}

function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? purl('golang', path.slice(0, slash), path.slice(slash + 1), version) : purl('golang', undefined, path, version);
}

export const goAnalyzer: Analyzer = {
  name: 'go',
  wants: () => 0, // binaries are probed while streaming, not captured
  analyze({ files }: AnalyzerInput): Package[] {
    const out: Package[] = [];
    for (const f of files) {
      if (!f.node.goBuildInfo) continue;
      const info = parseGoBuildInfo(f.node.goBuildInfo);
      if (!info) continue;
      const loc = [{ path: f.path, layer: f.node.layer }];
      const goVersion = info.goVersion.replace(/^go/, 'v').split(' ')[0];
      out.push({ ecosystem: 'golang', name: 'stdlib', version: goVersion, purl: goPurl('stdlib', goVersion), licenses: ['BSD-3-Clause'], locations: loc, properties: { binary: f.path } });
      if (info.main?.path) {
        out.push({
          ecosystem: 'golang',
          name: info.main.path,
          version: info.main.version,
          purl: goPurl(info.main.path, info.main.version),
          licenses: [],
          locations: loc,
          properties: { binary: f.path, role: 'main', goVersion: info.goVersion },
        });
      }
      for (const d of info.deps) {
        const properties: Record<string, string> = { binary: f.path };
        if (d.replacedBy) properties.replacedBy = d.replacedBy;
        out.push({ ecosystem: 'golang', name: d.path, version: d.version, purl: goPurl(d.path, d.version), licenses: [], locations: loc, properties });
      }
    }
    return out;
  },
};
