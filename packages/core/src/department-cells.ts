/**
 * A file's department cell may name several departments (co-leads: 公安部门、卫生健康部门). The
 * cell is split on 、，,；; and line breaks — except that a name which itself contains 、 and is
 * known as a whole (the directory, or the user's mapping, decides) stays one.
 */

/** Separators that always split (a department name never contains them). */
const STRONG = /[，,；;\n\r]+/;

/**
 * Split a department cell into names. `isName` says whether a text is a department name known as
 * a whole; among the 、-separated parts, the longest run that is a known name is kept together
 * (left to right); the other parts stand alone. Parts are trimmed; empty parts are dropped.
 */
export function splitDepartmentCell(text: string, isName: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const rawSegment of text.split(STRONG)) {
    const segment = rawSegment.trim();
    if (segment === '') continue;
    if (!segment.includes('、') || isName(segment)) {
      out.push(segment);
      continue;
    }
    const parts = segment
      .split('、')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    let i = 0;
    while (i < parts.length) {
      let taken = 1;
      for (let k = parts.length; k >= i + 2; k--) {
        if (isName(parts.slice(i, k).join('、'))) {
          taken = k - i;
          break;
        }
      }
      out.push(parts.slice(i, i + taken).join('、'));
      i += taken;
    }
  }
  return out;
}
