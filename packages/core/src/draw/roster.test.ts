import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalRoster, isValidKey, parseCanonicalRoster, type RosterEntry } from './roster.ts';

describe('roster keys', () => {
  it('are a USCC or a registration number of its time (15 or 13 digits, 15 digits and capitals)', () => {
    for (const k of ['91610103MA6U0A1B2X', '610103000012345', '6101032000123', '610103NA000123X'])
      expect(isValidKey(k), k).toBe(true);
    // a text number, lower case, other lengths, the float damage of Excel
    for (const k of ['企独陕总字第001234号', '610103na000123x', '61010320001234', '9.14690062012665e+17', ''])
      expect(isValidKey(k), k).toBe(false);
  });
});

/** The definition: split into lines and tab-separated fields, rebuild, and compare the text. */
function referenceParse(text: string) {
  if (text.length === 0 || !text.endsWith('\n')) return { ok: false as const };
  const entries: RosterEntry[] = [];
  for (const row of text.slice(0, -1).split('\n')) {
    const parts = row.split('\t');
    if (parts.length !== 2) return { ok: false as const };
    entries.push({ key: parts[0]!, stratum: parts[1]! });
  }
  const r = canonicalRoster(entries);
  if (!r.ok || r.value.text !== text) return { ok: false as const };
  return r;
}

const key = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), minLength: 18, maxLength: 18 }),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 15, maxLength: 15 }),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 13, maxLength: 13 }),
  fc.string({
    unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    minLength: 15,
    maxLength: 15,
  }),
  fc.constantFrom(
    '91610103MA6100000I',
    '610103NA000123X',
    '6101032000123',
    '企独陕总字第001234号',
    '12345',
    '',
  ),
  fc.string({
    unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZaé'),
    minLength: 12,
    maxLength: 19,
  }),
);
const label = fc.oneof(
  fc.constantFrom('A', 'B', 'C|张家村街道', 'S3fa91c2b', 'ALL'),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
);

describe('parseCanonicalRoster', () => {
  it('accepts exactly the canonical texts, with the same result as the definition', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key, stratum: label }), { selector: (e) => e.key, maxLength: 12 }),
        fc.nat(1000),
        fc.constantFrom('none', 'swap', 'dup', 'tab', 'notab', 'nl', 'cut'),
        (entries, at, edit) => {
          const c = canonicalRoster(entries);
          let text = c.ok ? c.value.text : entries.map((e) => `${e.key}\t${e.stratum}\n`).join('');
          const lines = text.split('\n').slice(0, -1);
          const i = lines.length ? at % lines.length : 0;
          if (edit === 'swap' && lines.length > 1) {
            const j = (i + 1) % lines.length;
            [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          } else if (edit === 'dup' && lines.length) lines.splice(i, 0, lines[i]!);
          else if (edit === 'tab' && lines.length) lines[i] += '\tx';
          else if (edit === 'notab' && lines.length) lines[i] = lines[i]!.replace('\t', '');
          else if (edit === 'nl' && lines.length) lines.splice(i, 0, '');
          text = lines.map((l) => `${l}\n`).join('');
          if (edit === 'cut') text = text.slice(0, -1);
          const got = parseCanonicalRoster(text);
          const want = referenceParse(text);
          expect(got.ok).toBe(want.ok);
          expect(got.ok ? got.value : null).toEqual(want.ok ? want.value : null);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
