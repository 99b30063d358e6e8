/**
 * A temporary file of text records read back by position: for results too many to keep in memory (the incidents
 * of a long replay). The file is unlinked as soon as it is open, so nothing is left behind however the process
 * ends; writes are batched, reads see everything appended so far.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpoolRecord {
  pos: number;
  len: number;
}

const FLUSH_BYTES = 1 << 20;

export class Spool {
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private closed = false;

  constructor(dir = tmpdir()) {
    const home = mkdtempSync(join(dir, 'kubeguard-spool-'));
    try {
      this.fd = openSync(join(home, 'records'), 'w+', 0o600);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.written + this.pendingBytes;
  }

  append(text: string): SpoolRecord {
    const buf = Buffer.from(text);
    const record = { pos: this.size, len: buf.length };
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return record;
  }

  read(record: SpoolRecord): string {
    this.flush();
    const buf = Buffer.allocUnsafe(record.len);
    let done = 0;
    while (done < record.len) {
      const n = readSync(this.fd, buf, done, record.len - done, record.pos + done);
      if (n === 0) throw new Error('spool: record beyond the end of the file');
      done += n;
    }
    return buf.toString();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    const buf = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, this.written + done);
    this.written += buf.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
