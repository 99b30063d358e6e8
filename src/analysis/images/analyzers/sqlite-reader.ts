/**
 * A minimal, read-only SQLite 3 file reader: enough to list the rows of one table (used for the RPM
 * sqlite database). Follows https://www.sqlite.org/fileformat2.html (b-tree pages, record format, overflow
 * pages). WAL content not yet checkpointed into the main file is not seen.
 */
import { ImageFormatError } from '../errors.js';

export type SqlValue = null | number | bigint | string | Buffer;

const MAGIC = 'SQLite format 3\0';

export class SqliteReader {
  private readonly pageSize: number;
  private readonly usable: number;

  constructor(private readonly db: Buffer) {
    if (db.length < 100 || db.toString('latin1', 0, 16) !== MAGIC) throw new ImageFormatError('not an SQLite 3 database');
    const ps = db.readUInt16BE(16);
    this.pageSize = ps === 1 ? 65536 : ps;
    this.usable = this.pageSize - db[20];
    if (db.readUInt32BE(56) > 1) throw new ImageFormatError('only UTF-8 SQLite databases are supported');
  }

  private page(n: number): Buffer {
    const start = (n - 1) * this.pageSize;
    if (n < 1 || start + this.pageSize > this.db.length) throw new ImageFormatError(`SQLite page ${n} out of range`);
    return this.db.subarray(start, start + this.pageSize);
  }

  /** Every row (rowid order) of the table b-tree rooted at `root`. */
  *tableRows(root: number): Generator<SqlValue[]> {
    const stack = [root];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) throw new ImageFormatError('SQLite b-tree cycle');
      seen.add(n);
      const page = this.page(n);
      const hdr = n === 1 ? 100 : 0;
      const type = page[hdr];
      const cells = page.readUInt16BE(hdr + 3);
      if (type === 5) {
        const children: number[] = [];
        for (let i = 0; i < cells; i++) children.push(page.readUInt32BE(page.readUInt16BE(hdr + 12 + 2 * i)));
        children.push(page.readUInt32BE(hdr + 8));
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      } else if (type === 13) {
        for (let i = 0; i < cells; i++) yield this.leafCell(page, page.readUInt16BE(hdr + 8 + 2 * i));
      } else throw new ImageFormatError(`unexpected SQLite page type ${type} in a table b-tree`);
    }
  }

  private leafCell(page: Buffer, off: number): SqlValue[] {
    const [size, a] = readVarint(page, off);
    const [, b] = readVarint(page, a);
    const P = Number(size);
    const U = this.usable;
    const X = U - 35;
    let payload: Buffer;
    if (P <= X) payload = page.subarray(b, b + P);
    else {
      const M = Math.floor(((U - 12) * 32) / 255) - 23;
      const K = M + ((P - M) % (U - 4));
      const local = K <= X ? K : M;
      const parts = [page.subarray(b, b + local)];
      let remaining = P - local;
      let next = page.readUInt32BE(b + local);
      while (remaining > 0 && next !== 0) {
        const ov = this.page(next);
        const take = Math.min(remaining, U - 4);
        parts.push(ov.subarray(4, 4 + take));
        remaining -= take;
        next = ov.readUInt32BE(0);
      }
      if (remaining > 0) throw new ImageFormatError('truncated SQLite overflow chain');
      payload = Buffer.concat(parts);
    }
    return decodeRecord(payload);
  }

  /** Root page of a table named in sqlite_schema. */
  tableRoot(name: string): number | undefined {
    for (const row of this.tableRows(1)) {
      if (row[0] === 'table' && typeof row[1] === 'string' && row[1].toLowerCase() === name.toLowerCase()) return Number(row[3]);
    }
    return undefined;
  }
}

export function readVarint(buf: Buffer, off: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    const byte = buf[off + i];
    if (byte === undefined) throw new ImageFormatError('truncated SQLite varint');
    if (i === 8) return [(v << 8n) | BigInt(byte), off + 9];
    v = (v << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return [v, off + i + 1];
  }
  return [v, off + 9];
}

function decodeRecord(p: Buffer): SqlValue[] {
  const [hsize, start] = readVarint(p, 0);
  const types: number[] = [];
  let off = start;
  while (off < Number(hsize)) {
    const [t, n] = readVarint(p, off);
    types.push(Number(t));
    off = n;
  }
  let d = Number(hsize);
  const out: SqlValue[] = [];
  for (const t of types) {
    if (t === 0) out.push(null);
    else if (t >= 1 && t <= 6) {
      const len = [0, 1, 2, 3, 4, 6, 8][t];
      let v = 0n;
      for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(p[d + i]);
      if (v >= 1n << BigInt(len * 8 - 1)) v -= 1n << BigInt(len * 8);
      out.push(len <= 6 ? Number(v) : v);
      d += len;
    } else if (t === 7) {
      out.push(p.readDoubleBE(d));
      d += 8;
    } else if (t === 8 || t === 9) out.push(t - 8);
    else if (t >= 12) {
      const len = t % 2 === 0 ? (t - 12) / 2 : (t - 13) / 2;
      const bytes = p.subarray(d, d + len);
      out.push(t % 2 === 0 ? bytes : bytes.toString('utf8'));
      d += len;
    } else throw new ImageFormatError(`bad SQLite serial type ${t}`);
  }
  return out;
}
