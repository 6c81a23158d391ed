import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Text encodings a CSV may arrive in. GBK files are decoded as GB18030 (a superset). */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Byte-order marks win; then "valid UTF-8 → UTF-8, else GB18030". */
export function detectEncodingOfBuffer(buf: Uint8Array): TextEncoding {
  const bom = bomEncoding(buf);
  if (bom) return bom;
  return isUtf8(buf) ? 'utf-8' : 'gb18030';
}

export function bomEncoding(buf: Uint8Array): TextEncoding | undefined {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8-bom';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * The same decision over a stream of chunks (one pass, constant memory): the whole stream must
 * be valid UTF-8 for UTF-8 to be chosen.
 */
export async function detectEncodingOfChunks(chunks: AsyncIterable<Uint8Array>): Promise<TextEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of chunks) {
      if (first) {
        first = false;
        const bom = bomEncoding(chunk);
        if (bom) return bom;
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Decode chunks incrementally (multi-byte characters split across chunks are handled). */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
): AsyncGenerator<string> {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') {
    // ignoreBOM: false → a leading BOM is stripped
    const d = new TextDecoder('utf-8', { ignoreBOM: false });
    for await (const chunk of chunks) {
      const s = d.decode(chunk, { stream: true });
      if (s) yield s;
    }
    const tail = d.decode();
    if (tail) yield tail;
    return;
  }
  // WHATWG TextDecoder (ICU) for GB18030 and UTF-16: iconv-lite's streaming GB18030 decoder loses
  // characters when a chunk boundary splits a four-byte sequence (found by the round-trip property).
  const d = new TextDecoder(encoding, { ignoreBOM: false });
  for await (const chunk of chunks) {
    const s = d.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const tail = d.decode();
  if (tail) yield tail;
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf-8-bom')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return iconv.encode(text, encoding, { addBOM: encoding !== 'gb18030' });
}
