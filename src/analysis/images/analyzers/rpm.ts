/**
 * RPM database in SQLite form (rpm ≥ 4.16: RHEL 9, Fedora 33+): table `Packages(hnum, blob)` where each
 * blob is a header as exported by headerExport() (rpm lib/header.c): int32 BE index count, int32 data
 * length, 16-byte index entries {tag, type, offset, count}, then the data store.
 */
import { SqliteReader } from './sqlite-reader.js';
import { purl } from '../purl.js';
import type { Analyzer, AnalyzerInput } from './types.js';
import type { OsInfo, Package } from '../model.js';

const DB_PATHS = ['/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite'];

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

export type RpmHeader = Map<number, string | number>;

export function parseRpmHeader(blob: Buffer): RpmHeader {
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 100_000 || dataStart + dl > blob.length) throw new Error('corrupt rpm header');
  const out: RpmHeader = new Map();
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = blob.readUInt32BE(e);
    const type = blob.readUInt32BE(e + 4);
    const off = dataStart + blob.readInt32BE(e + 8);
    if (off < dataStart || off >= dataStart + dl) continue;
    if (type === TYPE_STRING || type === TYPE_I18NSTRING || type === TYPE_STRING_ARRAY) {
      const end = blob.indexOf(0, off);
      out.set(tag, blob.toString('utf8', off, end < 0 ? dataStart + dl : end));
    } else if (type === TYPE_INT32) out.set(tag, blob.readInt32BE(off));
  }
  return out;
}

/** Source package name and version-release from a SOURCERPM value `bash-5.1.8-6.el9.src.rpm`. */
export function splitSourceRpm(srpm: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(srpm);
  return m ? { name: m[1], version: `${m[2]}-${m[3]}` } : undefined;
}

function vendorNamespace(os: OsInfo | undefined): string {
  if (!os) return 'rpm';
  if (os.id === 'rhel') return 'redhat';
  return os.id;
}

export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  wants: (path) => (DB_PATHS.includes(path) ? 512 * 1024 * 1024 : 0),
  analyze({ files, os, notes }: AnalyzerInput): Package[] {
    const out: Package[] = [];
    for (const f of files) {
      if (!DB_PATHS.includes(f.path) || !f.node.content) continue;
      let rows: Generator<unknown[]>;
      try {
        const db = new SqliteReader(f.node.content);
        const root = db.tableRoot('Packages');
        if (root === undefined) {
          notes.push(`${f.path}: no Packages table`);
          continue;
        }
        rows = db.tableRows(root);
        for (const row of rows) {
          const blob = row.find((v): v is Buffer => Buffer.isBuffer(v));
          if (!blob) continue;
          const h = parseRpmHeader(blob);
          const name = h.get(RPMTAG.NAME);
          const ver = h.get(RPMTAG.VERSION);
          const rel = h.get(RPMTAG.RELEASE);
          if (typeof name !== 'string' || typeof ver !== 'string' || name === 'gpg-pubkey') continue;
          const version = typeof rel === 'string' ? `${ver}-${rel}` : ver;
          const epoch = h.get(RPMTAG.EPOCH);
          const arch = h.get(RPMTAG.ARCH);
          const src = typeof h.get(RPMTAG.SOURCERPM) === 'string' ? splitSourceRpm(h.get(RPMTAG.SOURCERPM) as string) : undefined;
          const license = h.get(RPMTAG.LICENSE);
          out.push({
            ecosystem: 'rpm',
            name,
            version: typeof epoch === 'number' && epoch > 0 ? `${epoch}:${version}` : version,
            purl: purl('rpm', vendorNamespace(os), name, version, {
              arch: typeof arch === 'string' ? arch : undefined,
              epoch: typeof epoch === 'number' && epoch > 0 ? String(epoch) : undefined,
              distro: os?.versionId ? `${os.id}-${os.versionId}` : undefined,
            }),
            sourceName: src?.name,
            sourceVersion: src?.version,
            licenses: typeof license === 'string' ? [license] : [],
            locations: [{ path: f.path, layer: f.node.layer }],
            arch: typeof arch === 'string' ? arch : undefined,
          });
        }
      } catch (e) {
        notes.push(`${f.path}: unreadable rpm database (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    return out;
  },
};
