import { err, ok } from '@choucha/core';
import type { AppError, Result } from '@choucha/core';
import { readCfbDirectory, readZipDirectory } from './container.ts';
import { importError } from './errors.ts';

export type FileType = 'xlsx' | 'xls' | 'csv';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Known non-spreadsheet signatures, for a clearer message. */
const OTHER_MAGIC: readonly [string, readonly number[]][] = [
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['RAR', [0x52, 0x61, 0x72, 0x21]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf]],
  ['gzip', [0x1f, 0x8b]],
  ['BMP', [0x42, 0x4d]],
];

function startsWith(buf: Uint8Array, magic: readonly number[]): boolean {
  if (buf.length < magic.length) return false;
  return magic.every((b, i) => buf[i] === b);
}

function extensionOf(fileName: string | undefined): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName ?? '');
  return m ? (m[1] as string).toLowerCase() : '';
}

function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  // UTF-16 text has NULs; a BOM says it is text
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b === 0) return true;
  }
  return false;
}

function isBlankText(buf: Uint8Array): boolean {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (; i < buf.length; i++) {
    const b = buf[i] as number;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x2c && b !== 0x3b) return false;
  }
  return true;
}

/**
 * A zip is an .xlsx when its central directory (at the END of the file) names the workbook part.
 * Writers order the parts as they like: SheetJS puts [Content_Types].xml and xl/workbook.xml last,
 * beyond any fixed-size head. Only the whole file decides; from a head alone the answer is
 * provisionally 'xlsx' (the caller reads the whole file next and asks again, see table.ts).
 */
function zipType(buf: Uint8Array, ext: string, whole: boolean): Result<FileType, AppError> {
  if (!whole) return ok('xlsx');
  const dir = readZipDirectory(buf);
  let names: string[];
  if (dir.ok) names = dir.value.parts.map((p) => p.name);
  else {
    // no readable central directory: the local headers' names, wherever they are in the file
    const probe = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    names = [];
    for (const n of ['xl/workbook.xml', 'xl/workbook.bin', '[Content_Types].xml', 'word/document.xml'])
      if (probe.includes(n)) names.push(n);
    if (names.length === 0) return dir;
  }
  const has = (re: RegExp) => names.some((n) => re.test(n));
  if (has(/^xl\/workbook\.(xml|bin)$/i) || (has(/^\[Content_Types\]\.xml$/) && has(/^xl\//i)))
    return ok('xlsx');
  if (has(/^word\//i)) {
    return err(importError('IMPORT_FILE_TYPE', '这是 Word 文档', { detected: 'docx', extension: ext }));
  }
  if (has(/^ppt\//i)) {
    return err(
      importError('IMPORT_FILE_TYPE', '这是 PowerPoint 演示文稿', { detected: 'pptx', extension: ext }),
    );
  }
  return err(
    importError('IMPORT_FILE_TYPE', '这是 zip 压缩包，不是 Excel 工作簿', {
      detected: 'zip',
      extension: ext,
    }),
  );
}

/**
 * What the file is, by its bytes (the extension only words the message). `head` may be just the
 * first few KiB, except for containers (zip, CFB): their directories decide (an .xlsx from a zip,
 * an .xls from an encrypted .xlsx), and a head gives only a provisional answer for them; pass
 * `whole` = true when `head` is the whole file.
 */
export function detectFileType(
  head: Uint8Array,
  fileName?: string,
  whole = true,
): Result<FileType, AppError> {
  const ext = extensionOf(fileName);
  if (head.length === 0 || (whole && isBlankText(head))) return err(importError('IMPORT_FILE_EMPTY'));
  if (startsWith(head, ZIP)) return zipType(head, ext, whole);
  if (startsWith(head, CFB)) {
    if (!whole) return ok('xls');
    const dir = readCfbDirectory(head);
    if (!dir.ok) return dir;
    const names = dir.value.map((e) => e.name);
    if (names.includes('EncryptionInfo') || names.includes('EncryptedPackage')) {
      return err(importError('IMPORT_FILE_ENCRYPTED'));
    }
    if (names.includes('Workbook') || names.includes('Book')) return ok('xls');
    return err(
      importError('IMPORT_FILE_TYPE', '这是 Office 文档，但不是 Excel 工作簿', {
        detected: 'cfb',
        extension: ext,
      }),
    );
  }
  for (const [name, magic] of OTHER_MAGIC) {
    if (startsWith(head, magic)) {
      return err(importError('IMPORT_FILE_TYPE', `这是 ${name} 文件`, { detected: name, extension: ext }));
    }
  }
  if (looksBinary(head)) {
    return err(
      importError('IMPORT_FILE_TYPE', '无法识别的二进制文件', { detected: 'binary', extension: ext }),
    );
  }
  return ok('csv');
}
