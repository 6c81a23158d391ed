import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson } from './strict-json.ts';

function refused(text: string) {
  const r = parseStrictJson(text);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.code).toBe('BUNDLE_JSON_INVALID');
  return r.error;
}

function parsed(text: string): unknown {
  const r = parseStrictJson(text);
  expect(r).toEqual({ ok: true, value: JSON.parse(text) as unknown });
  return r.ok ? r.value : undefined;
}

describe('parseStrictJson: accepted', () => {
  it('reads RFC 8259 JSON with integers, whitespace and escapes', () => {
    parsed('{"a":1,"b":[true,false,null,"x"],"c":{"d":-5,"e":0}}');
    parsed(' \t\r\n{ "a" : [ 1 , 2 ] , "b" : { } , "c" : [ ] }\n');
    parsed('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9"');
    parsed('[9007199254740991,-9007199254740991,0,-1,10,1000000000000000]');
    parsed('"\\ud83d\\ude00 \\uD83D\\uDE00 😀 中文"');
    parsed('"\\\\ud800"'); // an escaped backslash, then the letters ud800: no surrogate
    parsed('{"a":"x\\\\","a2":"y\\"","a3":"\\":"}'); // quotes and colons inside strings
    parsed('[{"k":1},{"k":1}]'); // the same name in two objects
    parsed('{"a":{"a":{"a":1}}}');
    expect(parseStrictJson('{"__proto__":1}')).toEqual({ ok: true, value: JSON.parse('{"__proto__":1}') });
  });

  it('reads deep nesting without recursion', () => {
    const d = 100_000;
    const r = parseStrictJson('['.repeat(d) + '1' + ']'.repeat(d));
    expect(r.ok).toBe(true);
    const e = refused('['.repeat(d) + '1.5' + ']'.repeat(d));
    expect(e.details).toEqual({ offset: d, path: '$' + '[0]'.repeat(d) });
  });
});

describe('parseStrictJson: refused', () => {
  it('a byte order mark', () => {
    const e = refused('\ufeff{"a":1}');
    expect(e.details).toEqual({ offset: 0 });
    expect(e.message).toContain('byte order mark');
  });

  it('a member name twice, with the path of the object and the name', () => {
    let e = refused('{"a":1,"a":2}');
    expect(e.details).toEqual({ offset: 7, path: '$', name: 'a' });
    expect(e.message).toBe('Not strict JSON at offset 7 ($): the member name "a" twice in the object at $');
    e = refused('{"x":{"b":1,"\\u0062":2}}');
    expect(e.details).toEqual({ offset: 12, path: '$.x', name: 'b' });
    e = refused('{"s":[{"k":1},{"k":1,"j":2,"k":3}]}');
    expect(e.details).toEqual({ offset: 27, path: '$.s[1]', name: 'k' });
    e = refused('{ "a" : 1 , "a" : 2 }');
    expect(e.details).toEqual({ offset: 12, path: '$', name: 'a' });
    e = refused('{"a b":{"":1,"":2}}');
    expect(e.details).toEqual({ offset: 13, path: '$["a b"]', name: '' });
  });

  it('a member name twice in a large object (past the linear search)', () => {
    const members = Array.from({ length: 40 }, (_, i) => `"m${i}":${i}`);
    members.push('"m3":0');
    const text = `{${members.join(',')}}`;
    const e = refused(text);
    expect(e.details).toEqual({ offset: text.lastIndexOf('"m3"'), path: '$', name: 'm3' });
    refused(`{${members.slice(0, 40).join(',')},"m39":1}`);
    parsed(`{${members.slice(0, 40).join(',')}}`);
  });

  it('numbers with a fraction or an exponent, -0, beyond ±(2^53−1)', () => {
    for (const [t, what] of [
      ['1.0', 'fraction or an exponent'],
      ['{"min":1.0}', 'fraction or an exponent'],
      ['1e0', 'fraction or an exponent'],
      ['1E5', 'fraction or an exponent'],
      ['-1.5e-3', 'fraction or an exponent'],
      ['0.5', 'fraction or an exponent'],
      ['-0', '-0'],
      ['[-0]', '-0'],
      ['9007199254740992', '2^53'],
      ['-9007199254740992', '2^53'],
      ['10000000000000000', '2^53'],
      ['99999999999999999999', '2^53'],
    ] as const) {
      const e = refused(t);
      expect(e.message).toContain(what);
    }
    expect(refused('{"a":[0,{"b":1.0}]}').details).toEqual({ offset: 13, path: '$.a[1].b' });
  });

  it('lone surrogate escapes, in values and in member names', () => {
    for (const t of [
      '"\\ud800"',
      '"\\uD800"',
      '"\\ud800x"',
      '"\\ud800\\u0041"',
      '"\\udbff\\n"',
      '"\\udc00"',
      '"a\\ude00b"',
      '"\\ude00\\ud83d"',
      '"\\\\\\ud800"', // \\ then \ud800
      '{"\\ud800":1}',
    ]) {
      const e = refused(t);
      expect(e.message).toContain('lone surrogate');
    }
    expect(refused('{"a":["x","\\udc00"]}').details).toEqual({ offset: 11, path: '$.a[1]' });
  });

  it('an escaped high surrogate then a raw low one (no UTF-8 file has it) reads as the pair', () => {
    // The check is on the decoded strings (a lone surrogate anywhere in a value is refused); this
    // mixed form decodes to a well-formed pair. A text decoded from UTF-8 never has a raw surrogate.
    expect(parseStrictJson('"\\ud83d\ude00"')).toEqual({ ok: true, value: '😀' });
  });

  it('a lone surrogate code unit in the text itself', () => {
    const e = refused('{"a":"x\ud800"}');
    expect(e.details).toEqual({ offset: 7 });
    refused('"\udc00"');
  });

  it('what RFC 8259 refuses', () => {
    for (const t of [
      '',
      ' ',
      '{"a":1,}',
      '[1,]',
      '{"a":1',
      '{a:1}',
      "{'a':1}",
      '01',
      '+1',
      '.5',
      'NaN',
      'Infinity',
      '"\\x41"',
      '"a\u0001b"',
      '"a\tb"',
      '{"a":1}x',
      '{"a":1}{}',
      'tru',
      '"abc',
    ])
      refused(t);
    expect(refused('"a\u0001b"').details).toEqual({ offset: 2 });
  });
});

// JSON values without floats: safe integers, well-formed strings (any code point), nesting.
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value')),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value')),
  ),
}));

/** A JSON string literal of s with some characters escaped as \u (surrogate pairs as two escapes). */
function escapedLiteral(s: string, every: number): string {
  let out = '"';
  let i = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (i++ % every === 0 || c < 0x20 || c === 0x22 || c === 0x5c)
      for (let k = 0; k < ch.length; k++) out += `\\u${ch.charCodeAt(k).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

describe('parseStrictJson: properties', () => {
  it('parseStrictJson(JSON.stringify(v)) deep-equals v (also with whitespace)', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(parseStrictJson(JSON.stringify(v))).toEqual({ ok: true, value: v });
        expect(parseStrictJson(JSON.stringify(v, null, 2))).toEqual({ ok: true, value: v });
      }),
      { numRuns: 500 },
    );
  });

  it('any object text with a repeated member name is refused (however the name is escaped)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), jsonValue, { minKeys: 1, maxKeys: 8 }),
        jsonValue,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(3),
        (obj, extra, pickKey, at, every, wrap) => {
          const entries = Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
          const keys = Object.keys(obj);
          const name = keys[pickKey % keys.length]!;
          entries.splice(
            at % (entries.length + 1),
            0,
            `${escapedLiteral(name, every)}:${JSON.stringify(extra)}`,
          );
          let text = `{${entries.join(',')}}`;
          if (wrap === 1) text = `[1,${text}]`;
          if (wrap === 2) text = `{"outer":${text}}`;
          const r = parseStrictJson(text);
          expect(r.ok).toBe(false);
          expect(r.ok ? undefined : r.error.details?.['name']).toBe(name);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/*
 * Bench (not run by the suite): node --import tsx bench.ts, with
 *   const roster = (n) => Array.from({ length: n }, (_, i) => `91${String(i).padStart(16, '0')}\t${hex64(i)}\n`).join('');
 *   const sel = Array.from({ length: 100_000 }, (_, i) => ({ key: …, nonce: hex32, ticket: hex64, phase: 0 }));
 *   const text = JSON.stringify({ format: 'x', roster: roster(850_000), private: { openings: roster(850_000) }, selection: sel });
 *   // 162 MB; time parseStrictJson(text) and JSON.parse(text) with process.cpuUsage().
 */
