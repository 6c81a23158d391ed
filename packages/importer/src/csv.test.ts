import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvParser, detectDelimiter, parseCsv, parseCsvChunks, writeCsv } from './csv.ts';
import { decodeChunks, detectEncodingOfBuffer, encodeText } from './encoding.ts';
import type { TextEncoding } from './encoding.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* split(buf: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => x % (buf.length + 1)))].sort((a, b) => a - b)) {
    yield buf.subarray(prev, c);
    prev = c;
  }
  yield buf.subarray(prev);
}

// text fields: ASCII incl. quotes, commas, CR/LF, plus Chinese (the characters bureaus use)
const fieldArb = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', '"', '\r', '\n', '\t', ' ', 'a', '1'),
    fc.constantFrom('企', '业', '名', '称', '统', '一', '码', '（', '）', '，', '、', '𠀀'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const tableArb = fc.array(fc.array(fieldArb, { minLength: 1, maxLength: 6 }), { maxLength: 8 });

describe('CSV', () => {
  it('parses quotes, escaped quotes, embedded newlines and all line ends', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n"x\ny",z\rlast')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['x\ny', 'z'],
      ['last'],
    ]);
    expect(parseCsv('a,b\n\nc\n')).toEqual([['a', 'b'], [''], ['c']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('is lenient like Excel with stray quotes', () => {
    expect(parseCsv('ab"c,d\n"x"y,z')).toEqual([
      ['ab"c', 'd'],
      ['xy', 'z'],
    ]);
  });

  it('guesses tab and semicolon delimiters', () => {
    expect(detectDelimiter('a\tb\tc\n1,2')).toBe('\t');
    expect(detectDelimiter('a;b;c\n')).toBe(';');
    expect(detectDelimiter('a,b\n')).toBe(',');
  });

  it('property: any table written as CSV reads back identically, however the text is chunked', () => {
    fc.assert(
      fc.property(tableArb, fc.array(fc.nat(), { maxLength: 6 }), (table, cuts) => {
        const text = writeCsv(table);
        const p = new CsvParser(',');
        const out: string[][] = [];
        let prev = 0;
        for (const c of [...cuts.map((x) => x % (text.length + 1))].sort((a, b) => a - b)) {
          p.push(text.slice(prev, c), out);
          prev = c;
        }
        p.push(text.slice(prev), out);
        p.end(out);
        expect(out).toEqual(table);
      }),
    );
  });

  it('property: round trip through bytes in UTF-8, UTF-8 with BOM and GB18030, split anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        // a file whose text begins with U+FEFF begins with a BOM, which the decoder rightly drops
        tableArb.filter((t) => !(t[0]?.[0] ?? '').startsWith('\ufeff')),
        fc.constantFrom<TextEncoding>('utf-8', 'utf-8-bom', 'gb18030', 'utf-16le'),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (table, encoding, cuts) => {
          const bytes = encodeText(writeCsv(table), encoding);
          const rows = await collect(parseCsvChunks(decodeChunks(split(bytes, cuts), encoding), ','));
          expect(rows).toEqual(table);
        },
      ),
    );
  });

  it('decodes a four-byte GB18030 character split at any byte (regression)', async () => {
    const text = '",𐀀x企业𠀀';
    const bytes = encodeText(text, 'gb18030');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const parts: string[] = [];
      for await (const s of decodeChunks(split(bytes, [cut]), 'gb18030')) parts.push(s);
      expect(parts.join('')).toBe(text);
    }
  });

  it('detects GBK text as GB18030 and UTF-8 text as UTF-8', () => {
    const text = '企业名称,统一社会信用代码\r\n西安市碑林区甲乙丙商贸有限公司,91610103MA6U0A1B2X\r\n';
    expect(detectEncodingOfBuffer(encodeText(text, 'gb18030'))).toBe('gb18030');
    expect(detectEncodingOfBuffer(encodeText(text, 'utf-8'))).toBe('utf-8');
    expect(detectEncodingOfBuffer(encodeText(text, 'utf-8-bom'))).toBe('utf-8-bom');
  });
});
