/** Existing SBOM documents (CycloneDX or SPDX JSON) as input, so their packages can be re-rendered or matched. */
import { open } from 'node:fs/promises';
import { importSbom } from '../../analysis/images/sbom/import.js';
import { ImageFormatError } from '../../analysis/images/errors.js';
import { readFileBounded } from './bounded-read.js';
import type { ImportedSbom } from '../../analysis/images/sbom/import.js';
import { parseJson } from '../../core/json-error.js';

const MAX_SBOM = 256 * 1024 * 1024;

/** True when the file starts like a JSON document (an image archive is a tar). */
export async function looksLikeJson(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
    if (!(await fh.stat()).isFile()) return false;
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, 64, 0);
    return /^\s*[{[]/.test(head.toString('utf8', 0, bytesRead));
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

export async function readSbomFile(path: string): Promise<ImportedSbom> {
  const buf = await readFileBounded(path, MAX_SBOM, `SBOM ${path}`);
  let doc: unknown;
  try {
    doc = parseJson(buf.toString('utf8'));
  } catch (e) {
    throw new ImageFormatError(`${path} is not valid JSON`, { cause: e });
  }
  return importSbom(doc);
}
