import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chinaDate, safeAttachmentName, sniffAttachmentType } from './attachments.ts';

describe('sniffAttachmentType', () => {
  it('recognises JPEG, PNG, WebP and PDF by their first bytes', () => {
    expect(sniffAttachmentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffAttachmentType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffAttachmentType(Buffer.from('RIFF\u0010\u0000\u0000\u0000WEBPVP8 ', 'latin1'))).toBe(
      'image/webp',
    );
    expect(sniffAttachmentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });
  it('refuses everything else, whatever its name says', () => {
    expect(sniffAttachmentType(Buffer.from('MZ\u0090\u0000'))).toBeNull(); // an .exe
    expect(sniffAttachmentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('RIFF\u0010\u0000\u0000\u0000WAVE', 'latin1'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffAttachmentType(new Uint8Array())).toBeNull();
  });
  it('property: bytes that start with none of the signatures are refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        fc.pre(![0xff, 0x89, 0x52, 0x25].includes(b[0] ?? -1));
        expect(sniffAttachmentType(b)).toBeNull();
      }),
    );
  });
});

describe('safeAttachmentName', () => {
  it('keeps the base name without control characters or quotes', () => {
    expect(safeAttachmentName('C:\\fakepath\\检查记录表.pdf')).toBe('检查记录表.pdf');
    expect(safeAttachmentName('../../etc/"pa\u0000ss"wd')).toBe('passwd');
    expect(safeAttachmentName('  ')).toBe('attachment');
  });
  it('drops lone surrogates and U+FFFD, and never cuts a surrogate pair at the 200-character limit', () => {
    expect(safeAttachmentName('记\ud800录\udc00表.pdf')).toBe('记录表.pdf');
    expect(safeAttachmentName('记录\ufffd\ufffd.pdf')).toBe('记录.pdf');
    const emoji = safeAttachmentName('\u{1F4C4}'.repeat(300));
    expect([...emoji]).toHaveLength(200);
    expect(emoji).toBe('\u{1F4C4}'.repeat(200));
    expect(safeAttachmentName('\u{1F4C4}报告.pdf')).toBe('\u{1F4C4}报告.pdf');
  });
});

describe('chinaDate', () => {
  it('is the date in Beijing time', () => {
    expect(chinaDate(new Date('2024-09-30T15:59:59Z'))).toBe('2024-09-30');
    expect(chinaDate(new Date('2024-09-30T16:00:00Z'))).toBe('2024-10-01');
  });
});
