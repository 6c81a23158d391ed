/**
 * What a workbook's container says about itself, read without inflating or parsing anything:
 * the zip central directory of an .xlsx (every part's compressed and inflated size) and the
 * directory of an .xls compound file (CFB: stream names and sizes, sector chains). Both readers
 * are bounded (every offset checked, every chain walked at most once) and run on the event loop in
 * microseconds; their limits refuse zip bombs and looping or oversized CFB streams before the
 * parse worker is started.
 */
import { err, ok } from '@choucha/core';
import type { AppError, Result } from '@choucha/core';
import { importError } from './errors.ts';
import {
  MAX_COMPRESSION_RATIO,
  MAX_CONTAINER_ENTRIES,
  MAX_INFLATED_BYTES,
  MAX_PART_BYTES,
  RATIO_MIN_BYTES,
} from './limits.ts';

export interface ZipPart {
  readonly name: string;
  readonly method: number;
  readonly compressed: number;
  readonly inflated: number;
}

export interface ZipDirectory {
  readonly parts: readonly ZipPart[];
  /** the sum of the inflated sizes the directory states */
  readonly inflated: number;
}

const MiB = 1024 * 1024;

function corrupt(cause: string): AppError {
  return importError('IMPORT_FILE_CORRUPT', undefined, { cause });
}

function tooComplex(zhDetail: string, details: Record<string, unknown>): AppError {
  return importError('IMPORT_FILE_TOO_COMPLEX', zhDetail, details);
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * The central directory of a zip. Like SheetJS, the last end-of-central-directory record counts;
 * zip64 sizes are read from their extra field.
 */
export function readZipDirectory(buf: Uint8Array): Result<ZipDirectory, AppError> {
  const dv = view(buf);
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) {
    if (buf[i] === 0x50 && buf[i + 1] === 0x4b && buf[i + 2] === 0x05 && buf[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return err(corrupt('zip: no end of central directory'));
  const count = dv.getUint16(eocd + 10, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (count > MAX_CONTAINER_ENTRIES) {
    return err(tooComplex(`压缩包内有 ${count} 个部件`, { parts: count, limit: MAX_CONTAINER_ENTRIES }));
  }
  const parts: ZipPart[] = [];
  let p = cdOffset;
  let inflated = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || dv.getUint32(p, true) !== 0x02014b50) {
      return err(corrupt('zip: central directory out of bounds'));
    }
    const method = dv.getUint16(p + 10, true);
    let compressed = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const end = p + 46 + nameLen + extraLen;
    if (end + commentLen > buf.length) return err(corrupt('zip: central directory out of bounds'));
    const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLen));
    if (size === 0xffffffff || compressed === 0xffffffff) {
      // zip64: the sizes that overflowed are in extra field 0x0001, inflated size first
      for (let e = p + 46 + nameLen; e + 4 <= end;) {
        const id = dv.getUint16(e, true);
        const len = dv.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff && q + 8 <= e + 4 + len) {
            size = Number(dv.getBigUint64(q, true));
            q += 8;
          }
          if (compressed === 0xffffffff && q + 8 <= e + 4 + len)
            compressed = Number(dv.getBigUint64(q, true));
        }
        e += 4 + len;
      }
    }
    if (method === 0 && size > compressed) {
      return err(corrupt(`zip: stored part ${name} is larger than its data`));
    }
    parts.push({ name, method, compressed, inflated: size });
    inflated += size;
    p = end + commentLen;
  }
  return ok({ parts, inflated });
}

/** Refuse an .xlsx whose parts would inflate beyond the limits. */
export function checkZipLimits(dir: ZipDirectory): Result<ZipDirectory, AppError> {
  if (dir.inflated > MAX_INFLATED_BYTES) {
    return err(
      tooComplex(`解压后共 ${Math.ceil(dir.inflated / MiB)} MiB，上限 ${MAX_INFLATED_BYTES / MiB} MiB`, {
        inflated: dir.inflated,
        limit: MAX_INFLATED_BYTES,
      }),
    );
  }
  for (const part of dir.parts) {
    if (part.inflated > MAX_PART_BYTES) {
      return err(
        tooComplex(`部件 ${part.name} 解压后 ${Math.ceil(part.inflated / MiB)} MiB，上限 512 MiB`, {
          part: part.name,
          inflated: part.inflated,
          limit: MAX_PART_BYTES,
        }),
      );
    }
    const ratio = part.inflated / Math.max(1, part.compressed);
    if (part.inflated > RATIO_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      return err(
        tooComplex(`部件 ${part.name} 压缩比 ${Math.round(ratio)}:1，上限 ${MAX_COMPRESSION_RATIO}:1`, {
          part: part.name,
          inflated: part.inflated,
          compressed: part.compressed,
          ratio: Math.round(ratio),
          limit: MAX_COMPRESSION_RATIO,
        }),
      );
    }
  }
  return ok(dir);
}

// ---- CFB (.xls) ------------------------------------------------------------------------------

export interface CfbEntry {
  readonly name: string;
  /** 1 storage, 2 stream, 5 root */
  readonly type: number;
  readonly size: number;
}

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;

/**
 * The directory of a compound file: the names, types and sizes of its entries. Every stream must
 * fit in the file, every sector chain must end without looping, and the regular streams together
 * cannot hold more than the file does (a sector belongs to one stream).
 */
export function readCfbDirectory(buf: Uint8Array): Result<CfbEntry[], AppError> {
  if (buf.length < 512) return err(corrupt('cfb: shorter than its header'));
  const dv = view(buf);
  const shift = dv.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return err(corrupt(`cfb: sector shift ${shift}`));
  const ssz = 1 << shift;
  const nSectors = Math.floor((buf.length - ssz) / ssz) + (buf.length % ssz ? 1 : 0);
  const sectorAt = (n: number) => (n + 1) * ssz;
  const nFat = dv.getUint32(0x2c, true);
  if (nFat > nSectors) return err(corrupt('cfb: more FAT sectors than the file holds'));
  const firstDir = dv.getUint32(0x30, true);
  const cutoff = dv.getUint32(0x38, true);
  let difat = dv.getUint32(0x44, true);
  const nDifat = dv.getUint32(0x48, true);
  if (nDifat > nSectors) return err(corrupt('cfb: more DIFAT sectors than the file holds'));
  // the FAT's own sectors: 109 in the header, the rest in the DIFAT chain
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < nFat; i++) {
    const s = dv.getUint32(0x4c + 4 * i, true);
    if (s === FREESECT) break;
    fatSectors.push(s);
  }
  for (let k = 0; k < nDifat && fatSectors.length < nFat && difat < nSectors; k++) {
    const base = sectorAt(difat);
    const per = ssz / 4 - 1;
    for (let i = 0; i < per && fatSectors.length < nFat; i++) {
      if (base + 4 * i + 4 > buf.length) break;
      const s = dv.getUint32(base + 4 * i, true);
      if (s !== FREESECT) fatSectors.push(s);
    }
    if (base + ssz > buf.length) break;
    difat = dv.getUint32(base + ssz - 4, true);
  }
  const perFat = ssz / 4;
  const fat = new Uint32Array(fatSectors.length * perFat).fill(FREESECT);
  fatSectors.forEach((s, i) => {
    if (s >= nSectors) return;
    const base = sectorAt(s);
    for (let j = 0; j < perFat && base + 4 * j + 4 <= buf.length; j++) {
      fat[i * perFat + j] = dv.getUint32(base + 4 * j, true);
    }
  });
  /** The sectors of a chain; null when it loops or leaves the file. */
  const chain = (start: number, limit: number): number[] | null => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== ENDOFCHAIN && s !== FREESECT; s = fat[s] ?? ENDOFCHAIN) {
      if (s >= nSectors || seen.has(s) || out.length > limit) return null;
      seen.add(s);
      out.push(s);
    }
    return out;
  };
  const dirSectors = chain(firstDir, nSectors);
  if (!dirSectors) return err(corrupt('cfb: the directory chain loops or leaves the file'));
  const entries: CfbEntry[] = [];
  let regular = 0;
  let root = 0;
  let mini = 0;
  for (const s of dirSectors) {
    for (let off = sectorAt(s); off + 128 <= Math.min(buf.length, sectorAt(s) + ssz); off += 128) {
      const type = buf[off + 0x42] as number;
      if (type !== 1 && type !== 2 && type !== 5) continue;
      if (entries.length >= MAX_CONTAINER_ENTRIES) {
        return err(tooComplex('目录项过多', { limit: MAX_CONTAINER_ENTRIES }));
      }
      const nameLen = Math.min(64, dv.getUint16(off + 0x40, true));
      let name = '';
      for (let i = 0; i + 1 < nameLen - 1; i += 2) name += String.fromCharCode(dv.getUint16(off + i, true));
      const start = dv.getUint32(off + 0x74, true);
      // version 3 files: only the low 32 bits of the size count (the spec says to ignore the rest)
      const size =
        shift === 9
          ? dv.getUint32(off + 0x78, true)
          : dv.getUint32(off + 0x78, true) + dv.getUint32(off + 0x7c, true) * 2 ** 32;
      if (type === 2 || type === 5) {
        if (size > buf.length) {
          return err(
            tooComplex(`数据流 ${name} 声明 ${size} 字节，大于文件本身`, {
              stream: name,
              size,
              fileSize: buf.length,
            }),
          );
        }
        if (type === 5 || size >= cutoff) {
          const sectors = chain(start, nSectors);
          if (!sectors && size > 0) return err(corrupt(`cfb: the chain of ${name} loops or leaves the file`));
          if (type === 5) root = size;
          else regular += size;
        } else mini += size;
      }
      entries.push({ name, type, size });
    }
  }
  if (regular + root > buf.length || mini > root) {
    return err(tooComplex('数据流总大小超过文件本身', { streams: regular + root, fileSize: buf.length }));
  }
  return ok(entries);
}
