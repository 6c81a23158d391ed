/**
 * Hostile workbooks (issue 7 §5): zip bombs, lying headers, oversized CFB streams, a crafted file
 * for CVE-2023-30533, runaway parses; and the event loop stays free while a workbook is parsed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCfbDirectory, readZipDirectory } from './container.ts';
import { detectFileType } from './filetype.ts';
import { MAX_COMPRESSION_RATIO } from './limits.ts';
import { readTable } from './table.ts';
import { entityXlsx, prototypePollutionXlsx, zipBombXlsx } from './testkit.ts';

const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const MiB = 1024 * 1024;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function failure(input: Uint8Array, extra: object = {}) {
  const r = await readTable(input, { kind: 'entities', fileName: 'x.xlsx', ...extra });
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('zip bombs', () => {
  it('a 1 GiB sheet deflated to about 1 MiB is refused from its directory, nothing inflated', async () => {
    const bomb = await zipBombXlsx(1024 * MiB);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const before = peakRss();
    const e = await failure(bomb);
    expect(e.code).toBe('IMPORT_FILE_TOO_COMPLEX');
    expect(e.details?.['inflated']).toBeGreaterThan(1024 * MiB);
    // the process never held the inflated gigabyte (before the fix: a peak of about 2 GiB)
    expect(peakRss() - before).toBeLessThan(128 * MiB);
  });

  it('a part inflating more than 100:1 is refused even below the total limit', async () => {
    const e = await failure(await zipBombXlsx(64 * MiB));
    expect(e.code).toBe('IMPORT_FILE_TOO_COMPLEX');
    expect(e.details?.['limit']).toBe(MAX_COMPRESSION_RATIO);
    expect(e.details?.['ratio']).toBeGreaterThan(MAX_COMPRESSION_RATIO);
  });

  it('a directory that lies (1 GiB stated as 1 MiB) is caught while inflating, capped', async () => {
    const liar = await zipBombXlsx(1024 * MiB, { declaredSheetSize: MiB });
    const dir = readZipDirectory(liar);
    expect(dir.ok && dir.value.inflated).toBeLessThan(2 * MiB);
    const before = peakRss();
    const e = await failure(liar);
    expect(e.code).toBe('IMPORT_FILE_TOO_COMPLEX');
    expect(peakRss() - before).toBeLessThan(256 * MiB);
  });
});

describe('compound files (.xls)', () => {
  const xls = () => Buffer.from(readFileSync(`${FIX}entities.xls`));
  const entryOf = (buf: Buffer, name: string) => buf.indexOf(Buffer.from(name, 'utf16le'));

  it('reads the directory of a real .xls', () => {
    const dir = readCfbDirectory(xls());
    expect(dir.ok && dir.value.map((e) => e.name)).toContain('Workbook');
  });

  it('a stream stated larger than the file is refused before parsing', async () => {
    const buf = xls();
    buf.writeUInt32LE(0x7fffffff, entryOf(buf, 'Workbook') + 0x78);
    expect(detectFileType(buf, 'x.xls')).toMatchObject({
      ok: false,
      error: { code: 'IMPORT_FILE_TOO_COMPLEX' },
    });
    expect((await failure(buf)).code).toBe('IMPORT_FILE_TOO_COMPLEX');
  });

  it('a sector chain that loops is refused as corrupt', () => {
    const buf = xls();
    const root = (buf.readUInt32LE(0x30) + 1) * 512; // the directory's first sector: the root entry
    const rootStart = buf.readUInt32LE(root + 0x74);
    const fatSector = buf.readUInt32LE(0x4c);
    buf.writeUInt32LE(rootStart, (fatSector + 1) * 512 + 4 * rootStart); // the root's chain points at itself
    const r = detectFileType(buf, 'x.xls');
    expect(r).toMatchObject({ ok: false, error: { code: 'IMPORT_FILE_CORRUPT' } });
  });
});

describe('SheetJS advisories contained in the worker', () => {
  it('CVE-2023-30533: a comment on __proto__ cannot pollute this realm; the rows are still read', async () => {
    // read in this realm, SheetJS 0.18.5 sets Object.prototype.c (checked: testkit.ts); in the
    // worker the write meets a frozen Object.prototype and SheetJS drops the comment
    const r = await readTable(await prototypePollutionXlsx(), { kind: 'entities' });
    expect(({} as { c?: unknown }).c).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('c');
    expect(r.ok).toBe(true);
    const rows: string[][] = [];
    if (r.ok) for await (const row of r.value.rows) rows.push([...row.cells]);
    expect(rows).toEqual([['西安市碑林区甲乙丙商贸有限公司', '610103600123456']]);
  });

  it('a parse past its deadline is ended (IMPORT_TIMEOUT), as a ReDoS would be', async () => {
    const e = await failure(await entityXlsx(20_000), { limits: { timeoutMs: 50 } });
    expect(e.code).toBe('IMPORT_TIMEOUT');
    expect(e.details?.['limitMs']).toBe(50);
  });

  it('a parse beyond the worker heap is ended (IMPORT_FILE_TOO_COMPLEX), the process lives on', async () => {
    const e = await failure(await entityXlsx(60_000), { limits: { heapMb: 24 } });
    expect(e.code).toBe('IMPORT_FILE_TOO_COMPLEX');
    expect(e.details?.['reason']).toBe('memory');
  });
});

describe('the event loop while a workbook is parsed', () => {
  it('timers run before the parse has answered', async () => {
    const file = await entityXlsx(10_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    let ticksWhenParsed = -1;
    // bytes, not a path: no file I/O before the parse, so any tick happened while it ran
    const r = await readTable(file, { kind: 'entities' }).then((t) => {
      ticksWhenParsed = ticks;
      return t;
    });
    clearInterval(timer);
    expect(r.ok).toBe(true);
    expect(ticksWhenParsed).toBeGreaterThan(0);
    let rows = 0;
    if (r.ok) for await (const _ of r.value.rows) rows++;
    expect(rows).toBe(10_000);
    expect(r.ok && r.value.totalRows).toBe(10_000);
  });
});
