/**
 * Bytes of a manifest → text, as kubectl reads them. kubectl's file and stdin reader (cli-runtime
 * resource.FileVisitor) decodes through `unicode.BOMOverride(unicode.UTF8.NewDecoder())`: a UTF-16 byte-order mark
 * (either order) selects UTF-16, a UTF-8 one is dropped, anything else is UTF-8 with invalid bytes replaced by U+FFFD.
 * UTF-32 with its mark is decoded too (kubectl would misread it as UTF-16 and fail; reading it is safer than
 * refusing it). No I/O.
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

export function sniffEncoding(b: Uint8Array): TextEncoding {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'utf-32le';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'utf-32be';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const decoders = new Map<string, TextDecoder>();
function decoder(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) decoders.set(label, (d = new TextDecoder(label)));
  return d;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const encoding = sniffEncoding(bytes);
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return { text: decodeUtf32(bytes.subarray(4), encoding === 'utf-32le'), encoding };
  // TextDecoder drops the byte-order mark and replaces what does not decode, as x/text's decoders do.
  return { text: decoder(encoding).decode(bytes), encoding };
}

function decodeUtf32(b: Uint8Array, little: boolean): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const whole = b.length - (b.length % 4);
  const parts: string[] = [];
  let codes: number[] = [];
  for (let i = 0; i < whole; i += 4) {
    const c = view.getUint32(i, little);
    codes.push(c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : c);
    if (codes.length === 8192) {
      parts.push(String.fromCodePoint(...codes));
      codes = [];
    }
  }
  if (whole < b.length) codes.push(0xfffd);
  parts.push(String.fromCodePoint(...codes));
  return parts.join('');
}
