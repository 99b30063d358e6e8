/**
 * Reads OSV records from what osv.dev publishes: a directory of `*.json` files (any depth), a zip of them
 * (`<Ecosystem>/all.zip`), or a directory holding such zips (a mirror copy, for air-gapped use).
 * Zips are read entry by entry (yauzl), never unpacked to disk or loaded whole.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';

export interface RawEntry {
  /** "file.json" or "archive.zip!entry.json" */
  origin: string;
  text: string;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) listFiles(full, out);
    else if (name.endsWith('.json') || name.endsWith('.zip')) out.push(full);
  }
  return out;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open zip')) : resolve(zip)));
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('cannot read zip entry'));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/** Yields every `.json` entry of a zip. Rejects on a damaged archive (the import then fails as a whole). */
export async function* zipEntries(path: string): AsyncGenerator<RawEntry> {
  const zip = await openZip(path);
  const queue: (yauzl.Entry | null | Error)[] = [];
  let wake: (() => void) | undefined;
  const push = (x: yauzl.Entry | null | Error): void => {
    queue.push(x);
    wake?.();
  };
  zip.on('entry', (e: yauzl.Entry) => push(e));
  zip.on('end', () => push(null));
  zip.on('error', (e: Error) => push(e));
  zip.readEntry();
  for (;;) {
    if (!queue.length) await new Promise<void>((r) => (wake = r));
    wake = undefined;
    const item = queue.shift();
    if (item === undefined) continue;
    if (item === null) return;
    if (item instanceof Error) throw item;
    if (!item.fileName.endsWith('/') && item.fileName.endsWith('.json')) {
      yield { origin: `${path}!${item.fileName}`, text: await readEntry(zip, item) };
    }
    zip.readEntry();
  }
}

/** Every raw OSV JSON text under a path (file, zip or directory). */
export async function* osvEntries(path: string): AsyncGenerator<RawEntry> {
  const st = statSync(path);
  const files = st.isDirectory() ? listFiles(path) : [path];
  for (const f of files) {
    if (f.endsWith('.zip')) yield* zipEntries(f);
    else yield { origin: f, text: readFileSync(f, 'utf8') };
  }
}
