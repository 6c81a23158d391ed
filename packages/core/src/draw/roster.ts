/**
 * Canonical roster (draw-protocol v1 §3): one row per eligible entity, key + stratum label,
 * sorted by key; rosterRoot = SHA-256 of the rows serialised as "key\tstratum\n" in UTF-8.
 */
import { sha256, bytesToHex, utf8 } from '../hash/index.ts';
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { drawErr, type DrawError } from './errors.ts';

export interface RosterEntry {
  /** The USCC (18 characters) or, where none exists, the 15-digit registration number. */
  key: string;
  /** Stratum label, e.g. "C" or "C|张家村街道". */
  stratum: string;
}

/** A validated roster, sorted by key, with its commitment root. Build with canonicalRoster(). */
export interface CanonicalRoster {
  readonly keys: readonly string[];
  readonly strata: readonly string[];
  readonly size: number;
  /** Lower-case hex SHA-256 of `text`. */
  readonly root: string;
  /** The canonical serialisation ("key\tstratum\n" per entity). */
  readonly text: string;
}

/**
 * USCC alphabet (GB 32100) for 18; a registration number of the time before the USCC: 15 digits,
 * 13 digits (older registers), or 15 characters of digits and capital letters (co-operatives and
 * other registers, e.g. 610103NA000123X). Keys stay ASCII, so byte order is code-unit order. A
 * text number (企独陕总字第001234号) is not a key: such an entity is excluded with a reason.
 */
const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const REGNO = /^(?:[0-9]{13}|[0-9A-Z]{15})$/;
// A label: non-empty, no control characters (so no tab or newline), at most 200 characters.
const LABEL_BAD =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isValidKey(key: string): boolean {
  return USCC.test(key) || REGNO.test(key);
}

/** 1: USCC character (GB 32100), 2: digit, 4: capital letter or digit. */
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') KEY_CHAR[c.charCodeAt(0)] = 4;
for (const c of 'ABCDEFGHJKLMNPQRTUWXY') KEY_CHAR[c.charCodeAt(0)] = 5;
for (const c of '0123456789') KEY_CHAR[c.charCodeAt(0)] = 7;

/** isValidKey(text.slice(from, to)) without making the string (the parse's inner loop). */
function keyCharsOk(text: string, from: number, to: number): boolean {
  const n = to - from;
  if (n !== 18 && n !== 15 && n !== 13) return false;
  const need = n === 18 ? 1 : n === 13 ? 2 : 4;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (KEY_CHAR[c]! & need) === 0) return false;
  }
  return true;
}

export function isValidLabel(label: string): boolean {
  return label.length > 0 && label.length <= 200 && !LABEL_BAD.test(label);
}

export function canonicalRoster(entries: readonly RosterEntry[]): Result<CanonicalRoster, DrawError> {
  if (entries.length === 0) return drawErr('DRAW_ROSTER_EMPTY', 'The roster has no entity');
  const labelOk = new Map<string, boolean>();
  let isSorted = true;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!isValidKey(e.key))
      return drawErr(
        'DRAW_KEY_INVALID',
        `Roster key ${JSON.stringify(e.key)} is neither a USCC nor a registration number`,
        {
          key: e.key,
        },
      );
    let good = labelOk.get(e.stratum);
    if (good === undefined) labelOk.set(e.stratum, (good = isValidLabel(e.stratum)));
    if (!good)
      return drawErr(
        'DRAW_INPUT_INVALID',
        `Stratum label ${JSON.stringify(e.stratum)} of ${e.key} is empty or has control characters`,
        {
          key: e.key,
        },
      );
    if (i > 0 && isSorted && !(entries[i - 1]!.key < e.key)) isSorted = false;
  }
  // Keys are ASCII, so JavaScript's UTF-16 order is UTF-8 byte order.
  const sorted = isSorted
    ? entries
    : [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const keys = new Array<string>(sorted.length);
  const strata = new Array<string>(sorted.length);
  const lines = new Array<string>(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (i > 0 && keys[i - 1] === e.key)
      return drawErr('DRAW_DUPLICATE_KEY', `Key ${e.key} appears more than once in the roster`, {
        key: e.key,
      });
    keys[i] = e.key;
    strata[i] = e.stratum;
    lines[i] = `${e.key}\t${e.stratum}\n`;
  }
  const text = lines.join('');
  return ok({ keys, strata, size: keys.length, text, root: bytesToHex(sha256(utf8(text))) });
}

/**
 * Parses a canonical roster text back, checking that it is canonical (one tab per line, valid
 * keys and labels, strictly increasing keys). One pass; the root is the hash of the text itself.
 */
export function parseCanonicalRoster(text: string): Result<CanonicalRoster, DrawError> {
  if (text.length === 0 || !text.endsWith('\n'))
    return drawErr('DRAW_INPUT_INVALID', 'The roster text must end with a newline');
  const keys: string[] = [];
  const strata: string[] = [];
  // Each distinct label once: the rows share one string (less memory, pointer-equal comparisons).
  const labelOf = new Map<string, string | null>();
  let start = 0;
  let line = 0;
  let prevKey = '';
  while (start < text.length) {
    line++;
    const end = text.indexOf('\n', start);
    const tab = text.indexOf('\t', start);
    const key = tab < 0 || tab > end ? '' : text.slice(start, tab);
    const stratum = tab < 0 || tab > end ? '\t' : text.slice(tab + 1, end);
    if (stratum.includes('\t'))
      return drawErr('DRAW_INPUT_INVALID', `Roster line ${line} does not have exactly one tab`);
    if (!keyCharsOk(text, start, tab < 0 || tab > end ? start : tab))
      return drawErr(
        'DRAW_KEY_INVALID',
        `Roster key ${JSON.stringify(key)} is neither a USCC nor a registration number`,
        { key },
      );
    let label = labelOf.get(stratum);
    if (label === undefined) labelOf.set(stratum, (label = isValidLabel(stratum) ? stratum : null));
    if (label === null)
      return drawErr(
        'DRAW_INPUT_INVALID',
        `Stratum label ${JSON.stringify(stratum)} of ${key} is empty or has control characters`,
        { key },
      );
    if (line > 1 && key <= prevKey) {
      if (key === prevKey)
        return drawErr('DRAW_DUPLICATE_KEY', `Key ${key} appears more than once in the roster`, { key });
      return drawErr('DRAW_INPUT_INVALID', 'The roster text is not sorted by key');
    }
    keys.push(key);
    strata.push(label);
    prevKey = key;
    start = end + 1;
  }
  return ok({ keys, strata, size: keys.length, text, root: bytesToHex(sha256(utf8(text))) });
}
