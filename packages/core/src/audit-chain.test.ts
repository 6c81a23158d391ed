import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AUDIT_GENESIS,
  AUDIT_PROBLEMS,
  auditHashInput,
  parseAnchor,
  storableJson,
  storableText,
  verifyChain,
  type AuditEventBody,
} from './audit-chain.ts';

const h = (s: string) => createHash('sha256').update(s).digest('hex');

type Stored = AuditEventBody & { prevHash: string; hash: string };

function build(bodies: Omit<AuditEventBody, 'seq'>[]): Stored[] {
  let prev = AUDIT_GENESIS;
  return bodies.map((b, i) => {
    const body = { ...b, seq: i + 1 };
    const hash = h(auditHashInput(prev, body));
    const e = { ...body, prevHash: prev, hash };
    prev = hash;
    return e;
  });
}

/** Recompute every hash from `from` (a 0-based index) on: a rewrite that hides itself from the chain. */
function rehash(chain: Stored[], from: number): Stored[] {
  const out = chain.slice(0, from);
  let prev = from === 0 ? AUDIT_GENESIS : chain[from - 1]!.hash;
  for (const e of chain.slice(from)) {
    const { prevHash: _p, hash: _h, ...body } = e;
    const hash = h(auditHashInput(prev, body));
    out.push({ ...body, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const bodyArb = fc.record({
  at: fc.constant('2026-11-27T10:00:00.000Z'),
  actorId: fc.option(fc.nat(), { nil: null }),
  actorName: fc.string(),
  action: fc.constantFrom('task.create', 'draw.commit', 'result.publish'),
  subjectType: fc.constant('task'),
  subjectId: fc.option(fc.string(), { nil: null }),
  departmentId: fc.option(fc.nat(), { nil: null }),
  before: fc.constant(null),
  after: fc.jsonValue(),
});

const codes = (r: ReturnType<typeof verifyChain>) => r.problems.map((p) => `${p.code}@${p.seq}`);

describe('audit chain', () => {
  it('verifies an intact chain', () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { minLength: 1, maxLength: 12 }), (bodies) => {
        const chain = build(bodies);
        const r = verifyChain(chain, h);
        expect(r).toMatchObject({ ok: true, checked: chain.length, problems: [], problemCount: 0 });
        expect(r.head).toEqual({ seq: chain.length, hash: chain.at(-1)!.hash });
      }),
    );
  });

  it('lists every edited event, not only the first', () => {
    fc.assert(
      fc.property(
        fc.array(bodyArb, { minLength: 3, maxLength: 12 }),
        fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 5 }),
        (bodies, picks) => {
          const chain = build(bodies);
          const edited = new Set(picks.map((p) => p % chain.length));
          const tampered = chain.map((e, j) => (edited.has(j) ? { ...e, actorName: `${e.actorName}x` } : e));
          const r = verifyChain(tampered, h);
          expect(r.ok).toBe(false);
          expect(codes(r)).toEqual(
            [...edited].sort((a, b) => a - b).map((j) => `AUDIT_EVENT_EDITED@${j + 1}`),
          );
          expect(r.problemCount).toBe(edited.size);
        },
      ),
    );
  });

  it('lists every deleted range, each reordered and each unlinked event', () => {
    const chain = build(Array.from({ length: 10 }, () => fc.sample(bodyArb, 1)[0]!));
    const deleted = chain.filter((e) => ![3, 4, 8].includes(e.seq));
    const r = verifyChain(deleted, h);
    expect(codes(r)).toEqual(['AUDIT_EVENT_MISSING@3', 'AUDIT_EVENT_MISSING@8']);
    expect(r.problems[0]).toMatchObject({ lastSeq: 4, en: 'Events 3–4 are missing (deleted from the log)' });
    expect(r.problems[1]).toMatchObject({ lastSeq: 8, zh: '第 8 条记录缺失（已被删除）' });

    const swapped = [...chain];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    expect(codes(verifyChain(swapped, h))).toEqual(['AUDIT_EVENT_MISSING@5', 'AUDIT_EVENT_OUT_OF_ORDER@5']);

    // an event replaced by one with a recomputed own hash: it verifies alone, the next does not link
    const forged = rehash([...chain.slice(0, 2), { ...chain[2]!, actorName: 'mallory' }], 2)[2]!;
    const replaced = chain.map((e) => (e.seq === 3 ? forged : e));
    expect(codes(verifyChain(replaced, h))).toEqual(['AUDIT_EVENT_UNLINKED@4']);
    // the first event must start at the genesis hash
    const unrooted = chain.map((e) => (e.seq === 1 ? { ...e, prevHash: 'f'.repeat(64) } : e));
    expect(codes(verifyChain(unrooted, h))).toEqual(['AUDIT_EVENT_UNLINKED@1', 'AUDIT_EVENT_EDITED@1']);
  });

  it('calls onProblem for every problem and keeps at most maxProblems', () => {
    const chain = build(Array.from({ length: 8 }, () => fc.sample(bodyArb, 1)[0]!));
    const tampered = chain.map((e) => ({ ...e, action: 'forged' }));
    const seen: number[] = [];
    const r = verifyChain(tampered, h, { maxProblems: 3, onProblem: (p) => seen.push(p.seq) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.problems.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(r.problemCount).toBe(8);
  });

  it('anchors find a deleted tail and a rewrite with recomputed hashes', () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { minLength: 4, maxLength: 12 }), fc.nat(), (bodies, pick) => {
        const chain = build(bodies);
        const n = chain.length;
        const k = 1 + (pick % (n - 1)); // 1..n-1: keep k events
        const anchor = { seq: n, hash: chain[n - 1]!.hash };
        const early = { seq: k, hash: chain[k - 1]!.hash };
        expect(verifyChain(chain, h, { anchors: [anchor, early] }).anchors.map((a) => a.status)).toEqual([
          'ok',
          'ok',
        ]);
        // the tail deleted: the chain alone still verifies, the anchor does not
        const cut = chain.slice(0, k);
        expect(verifyChain(cut, h).ok).toBe(true);
        const rc = verifyChain(cut, h, { anchors: [anchor, early] });
        expect(rc.ok).toBe(false);
        expect(codes(rc)).toEqual([`AUDIT_ANCHOR_TRUNCATED@${n}`]);
        expect(rc.anchors.map((a) => a.status)).toEqual(['truncated', 'ok']);
        // event k edited and every hash from it recomputed: the chain alone verifies, the anchor does not
        const rewritten = rehash(
          chain.map((e, j) => (j === k - 1 ? { ...e, actorName: `${e.actorName}!` } : e)),
          k - 1,
        );
        expect(verifyChain(rewritten, h).ok).toBe(true);
        const rr = verifyChain(rewritten, h, { anchors: [anchor, early] });
        expect(codes(rr)).toEqual(
          [`AUDIT_ANCHOR_MISMATCH@${k}`, `AUDIT_ANCHOR_MISMATCH@${n}`].filter(
            (c, i, a) => a.indexOf(c) === i,
          ),
        );
        expect(rr.anchors.map((a) => a.status)).toEqual(['mismatch', 'mismatch']);
      }),
    );
  });

  it('an anchor after a broken event is unproven; one in a deleted range is missing', () => {
    const chain = build(Array.from({ length: 6 }, () => fc.sample(bodyArb, 1)[0]!));
    const anchors = [
      { seq: 2, hash: chain[1]!.hash },
      { seq: 4, hash: chain[3]!.hash },
      { seq: 5, hash: chain[4]!.hash },
    ];
    const edited = chain.map((e) => (e.seq === 3 ? { ...e, actorName: 'mallory' } : e));
    expect(verifyChain(edited, h, { anchors }).anchors.map((a) => a.status)).toEqual([
      'ok',
      'unproven',
      'unproven',
    ]);
    const holed = chain.filter((e) => e.seq !== 4);
    const r = verifyChain(holed, h, { anchors });
    expect(codes(r)).toEqual(['AUDIT_EVENT_MISSING@4', 'AUDIT_ANCHOR_MISSING@4']);
    expect(r.anchors.map((a) => a.status)).toEqual(['ok', 'missing', 'unproven']);
  });

  it('an anchor that agrees with the log holds even beside one that does not', () => {
    const chain = build(Array.from({ length: 4 }, () => fc.sample(bodyArb, 1)[0]!));
    const r = verifyChain(chain, h, {
      anchors: [
        { seq: 3, hash: chain[2]!.hash },
        { seq: 3, hash: 'e'.repeat(64) },
        { seq: 4, hash: chain[3]!.hash },
      ],
    });
    expect(r.anchors.map((a) => a.status)).toEqual(['ok', 'mismatch', 'ok']);
    expect(codes(r)).toEqual(['AUDIT_ANCHOR_MISMATCH@3']);
  });

  it('parses SEQ:HASH', () => {
    const hash = 'AB'.repeat(32);
    expect(parseAnchor(`12:${hash}`)).toEqual({ seq: 12, hash: hash.toLowerCase() });
    for (const bad of ['0:' + hash, '12:' + hash.slice(1), '12;' + hash, `-1:${hash}`, `1.5:${hash}`, ''])
      expect(parseAnchor(bad)).toBeUndefined();
  });

  it('has a Chinese and an English text for every problem code', () => {
    for (const t of Object.values(AUDIT_PROBLEMS)) {
      expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(t.en).toMatch(/^[\x20-\x7e–]+$/);
    }
  });
});

describe('storable values', () => {
  // eslint-disable-next-line no-control-regex -- NUL is what we are looking for
  const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const wellFormed = (s: string) => !UNSTORABLE.test(s);
  // any code point, and often NUL and lone (high or low) surrogates
  const unit = fc.oneof(
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const anyString = fc.string({ unit });

  it('text: no NUL and no lone surrogate is left; storable text is unchanged; idempotent', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const t = storableText(s);
        expect(wellFormed(t)).toBe(true);
        expect(storableText(t)).toBe(t);
        expect([...t].length).toBe([...s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, 'x')].length);
        expect(t === s).toBe(wellFormed(s)); // unchanged exactly when there was nothing to replace
      }),
    );
    expect(storableText('a\u0000b\ud800c\udc00\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ufffd\ud83d\ude00');
  });

  it('json: the value a JSON round trip gives, with storable strings and keys; idempotent', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: unit }), (v) => {
        const s = storableJson(v);
        expect(wellFormed(JSON.stringify(s) ?? '')).toBe(true);
        expect(storableJson(s)).toEqual(s);
      }),
    );
    expect(storableJson(undefined)).toBeNull();
    expect(storableJson({ a: undefined, d: new Date(Date.UTC(2026, 0, 2)), n: Number.NaN, z: -0 })).toEqual({
      d: '2026-01-02T00:00:00.000Z',
      n: null,
      z: 0,
    });
    const proto = storableJson(JSON.parse('{"__proto__":{"x":1}}')) as Record<string, unknown>;
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });
});
