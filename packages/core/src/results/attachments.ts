/**
 * Attachments of an inspection result (photos, PDFs of the 检查记录表): what is accepted is decided
 * from the file's first bytes (its magic number), never from its name or the type the client sent.
 */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_RESULT_MAX_BYTES = 50 * 1024 * 1024;

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** The attachment type of these bytes, or null when they are none of the accepted kinds. */
export function sniffAttachmentType(b: Uint8Array): AttachmentType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  return null;
}

/** A file name safe to store and to send back in Content-Disposition: no path, no control characters. */
export function safeAttachmentName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    // control characters, quotes, and U+FFFD (what bytes that were not UTF-8 were decoded to)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"\ufffd]/g, '')
    // a lone surrogate (half of a pair) cannot be stored as UTF-8
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .trim();
  // at most 200 characters, counted in code points, so that a pair is never cut in half
  return [...(clean || 'attachment')].slice(0, 200).join('');
}

/** The date in China of an instant (the calendar's isoDateInChina, under the name results use). */
export { isoDateInChina as chinaDate } from '../calendar/dates.ts';
