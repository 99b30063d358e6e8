/**
 * Reads a snapshot (plain or gzip, recognised by its magic bytes). A kubeguard snapshot is read line by line,
 * so its size is bounded by memory, not by the longest string; each object keeps its line in the file. Anything
 * else goes through the manifest parser (field lines), except large JSON Lists (a `kubectl get -A -o json` of a
 * big cluster), whose items are streamed one by one with their lines. Objects are sanitized on the way in
 * (managedFields, Secret values) whatever wrote the file, and the header's failures come back.
 */
import { createReadStream, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { KubeObject, Resource, ScanError, SkipNote } from '../../core/model.js';
import { refOf } from '../../core/ref.js';
import { errorMessage } from '../../core/errors.js';
import { parseManifestText } from '../manifests/parse-text.js';
import { sanitizeObject, type SanitizeOptions } from './sanitize.js';
import { appendAll } from '../../core/append.js';
import { streamListItems } from './list-stream.js';
import { FOOTER, SNAPSHOT_FORMAT } from './snapshot-format.js';
import type { SnapshotHeader } from './snapshot-format.js';
import { parseJson } from '../../core/json-error.js';

export interface SnapshotContents {
  /** Set for kubeguard snapshots; undefined for plain dumps. */
  header?: SnapshotHeader;
  resources: Resource[];
  errors: ScanError[];
  skipped: SkipNote[];
}

const HEADER_PREFIX = '{"apiVersion":"v1","kind":"List","kubeguard":';
const HEADER_SUFFIX = '"items":[';

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function openText(file: string, gzip: boolean): Readable {
  const raw = createReadStream(file);
  if (!gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/** How objects are sanitized on the way in: the HMAC key of Secret values (to compare them with others hashed alike), managedFields kept. */
export interface SnapshotReadOptions {
  hmacKey?: Buffer;
  keepManagedFields?: boolean;
}

export async function readSnapshot(file: string, options: SnapshotReadOptions = {}): Promise<SnapshotContents> {
  const out: SnapshotContents = { resources: [], errors: [], skipped: [] };
  let gzip: boolean;
  try {
    gzip = isGzip(file);
  } catch (e) {
    out.errors.push({ kind: 'read', file, message: `cannot read snapshot: ${errorMessage(e)}` });
    return out;
  }
  const hmacKey = options.hmacKey ?? randomBytes(32);
  const keep = { keepManagedFields: options.keepManagedFields };
  const rl = createInterface({ input: openText(file, gzip), crlfDelay: Infinity });
  let lineNo = 0;
  let ended = false;
  let plain = false;
  try {
    for await (const line of rl) {
      lineNo++;
      if (lineNo === 1) {
        if (!(line.startsWith(HEADER_PREFIX) && line.endsWith(HEADER_SUFFIX))) {
          plain = true;
          break;
        }
        const header = (parseJson(line + FOOTER) as { kubeguard?: SnapshotHeader }).kubeguard;
        if (header?.format !== SNAPSHOT_FORMAT) {
          out.errors.push({ kind: 'parse', file, line: 1, message: `unknown snapshot format ${String(header?.format)} (expected ${SNAPSHOT_FORMAT})` });
          rl.close();
          return out;
        }
        out.header = header;
        continue;
      }
      if (line === FOOTER) {
        ended = true;
        continue;
      }
      if (line.trim() === '') continue;
      if (ended) {
        out.errors.push({ kind: 'parse', file, line: lineNo, message: 'text after the end of the snapshot list' });
        break;
      }
      try {
        const object = parseJson(line.endsWith(',') ? line.slice(0, -1) : line) as KubeObject;
        const clean = sanitizeObject(object, hmacKey, keep);
        out.resources.push({ ref: refOf(clean), object: clean, source: { file, line: lineNo }, live: true });
      } catch (e) {
        out.errors.push({ kind: 'parse', file, line: lineNo, message: `snapshot object is not JSON: ${errorMessage(e)}` });
      }
    }
  } catch (e) {
    out.errors.push({ kind: 'read', file, line: lineNo || undefined, message: `cannot read snapshot: ${errorMessage(e)}` });
    return out;
  }
  if (plain) return isLarge(file, gzip) ? readLargeList(file, gzip, out, hmacKey, keep) : readPlainDump(file, gzip, out, hmacKey, keep);
  if (!ended) out.errors.push({ kind: 'read', file, line: lineNo, message: 'snapshot is truncated: the list never ends (objects read so far are kept)' });
  return out;
}

/** Over these sizes a dump is streamed (the manifest parser refuses files over 64 MB). */
const LARGE_PLAIN_BYTES = 48 * 1024 * 1024;

/** Plain: by its size; gzip: by whether it inflates past the limit (inflation stops there). */
function isLarge(file: string, gzip: boolean): boolean {
  if (!gzip) return statSync(file).size > LARGE_PLAIN_BYTES;
  try {
    gunzipSync(readFileSync(file), { maxOutputLength: LARGE_PLAIN_BYTES });
    return false;
  } catch (e) {
    return e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

function isKubeObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as KubeObject).kind === 'string' && typeof (v as KubeObject).apiVersion === 'string';
}

/** A large JSON List, item by item. */
async function readLargeList(file: string, gzip: boolean, out: SnapshotContents, hmacKey: Buffer, keep: SanitizeOptions): Promise<SnapshotContents> {
  try {
    for await (const item of streamListItems(openText(file, gzip))) {
      if (!isKubeObject(item.value)) {
        out.skipped.push({ file, line: item.line, reason: 'not a Kubernetes object (no apiVersion/kind)' });
        continue;
      }
      const clean = sanitizeObject(item.value, hmacKey, keep);
      out.resources.push({ ref: refOf(clean), object: clean, source: { file, line: item.line }, live: true });
    }
  } catch (e) {
    const line = (e as { line?: number }).line;
    out.errors.push({ kind: 'parse', file, ...(line ? { line } : {}), message: `large file read as a JSON List: ${errorMessage(e)} (objects read before are kept)` });
  }
  return out;
}

/** A `kubectl get -o json` dump (or any manifest file), possibly gzipped. */
function readPlainDump(file: string, gzip: boolean, out: SnapshotContents, hmacKey: Buffer, keep: SanitizeOptions): SnapshotContents {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    out.errors.push({ kind: 'read', file, message: `cannot read: ${errorMessage(e)}` });
    return out;
  }
  const parsed = parseManifestText(text, file);
  for (const r of parsed.resources) out.resources.push({ ...r, object: sanitizeObject(r.object, hmacKey, keep), live: true });
  appendAll(out.errors, parsed.errors);
  appendAll(out.skipped, parsed.skipped);
  return out;
}
