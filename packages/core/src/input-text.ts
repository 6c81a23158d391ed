/**
 * The one rule for text that enters the platform (issue 7): no NUL (U+0000) and only well-formed
 * Unicode — no lone surrogate. PostgreSQL text and jsonb can hold neither as sent, so such text is
 * refused at the boundary (HTTP: INPUT_TEXT_INVALID naming the field; spreadsheets: a row reason
 * naming the row and the column) instead of being changed or failing deep inside.
 */
export type TextProblem = 'nul' | 'lone_surrogate';

/** What is wrong with a string, or null when it may enter. */
export function textProblem(s: string): TextProblem | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'nul';
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) {
        i++;
        continue;
      }
    }
    return 'lone_surrogate';
  }
  return null;
}

export interface TextProblemAt {
  /** Where: `prefix.key[0].key` (object keys are checked too: the key itself is then named). */
  readonly field: string;
  readonly problem: TextProblem;
}

/**
 * The first string inside a value (nested objects and arrays, keys included) that may not enter.
 * Depth and breadth are bounded by the body-size limit upstream; recursion stops at 64 levels.
 */
export function findTextProblem(value: unknown, field: string, depth = 0): TextProblemAt | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field, problem } : null;
  }
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findTextProblem(value[i], `${field}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (ArrayBuffer.isView(value)) return null; // bytes (uploads) are not text
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const problem = textProblem(k);
    if (problem) return { field: `${field}.${printable(k)}`, problem };
    const p = findTextProblem(v, field ? `${field}.${k}` : k, depth + 1);
    if (p) return p;
  }
  return null;
}

/** A name that can be shown in an error: the offending characters as \u escapes. */
export function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < 100; i++) {
    const c = s.charCodeAt(i);
    const n = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && n >= 0xdc00 && n <= 0xdfff) {
      out += s.slice(i, i + 2);
      i++;
    } else if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return out;
}
