import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  daysBetween,
  detectBatchMerges,
  detectEntityMerges,
  detectMerges,
  mergeJointRules,
  scopesOverlap,
  windowGap,
  type DueVisit,
  type PlannedBatch,
} from './detector.ts';
import { visitBurden } from './burden.ts';

const BASE = Date.parse('2023-01-01T00:00:00Z');
const iso = (day: number) => new Date(BASE + day * 86_400_000).toISOString().slice(0, 10);

const window = fc
  .tuple(fc.integer({ min: 0, max: 360 }), fc.integer({ min: 0, max: 60 }))
  .map(([s, len]) => ({ windowStart: iso(s), windowEnd: iso(s + len) }));
const pick = (xs: string[]) => fc.option(fc.subarray(xs), { nil: undefined });
const scope = fc.option(
  fc.record({
    streets: pick(['张家村街道', '柏树林街道', '南院门街道']),
    entityTypes: pick(['有限责任公司', '个体工商户']),
    industryPrefixes: pick(['H', 'H62', 'P', 'F52']),
    tags: pick(['食品经营', '校外培训']),
  }),
  { nil: null },
);
const batches = fc
  .array(
    fc.tuple(fc.integer({ min: 1, max: 4 }), window, scope).map(([departmentId, w, s]) => ({
      departmentId,
      ...w,
      scope: s,
    })),
    { maxLength: 12 },
  )
  .map((bs): PlannedBatch[] => bs.map((b, i) => ({ ref: `task:${i + 1}`, ...b })));
const visits = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), window), { maxLength: 20 })
  .map((vs): DueVisit[] =>
    vs.map(([entityId, departmentId, w], i) => ({ ref: `target:${i + 1}`, entityId, departmentId, ...w })),
  );
const nearDays = fc.integer({ min: 0, max: 90 });

describe('相同对象、相近时间 detector (properties)', () => {
  it('is symmetric: the proposals do not depend on the input order', () => {
    fc.assert(
      fc.property(batches, visits, nearDays, fc.nat(), (bs, vs, n, seed) => {
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 }))
            .sort((a, b) => a.k - b.k)
            .map((p) => p.x);
        const a = detectMerges({ batches: bs, visits: vs }, n);
        const b = detectMerges({ batches: shuffle([...bs]).reverse(), visits: shuffle([...vs]) }, n);
        expect(b).toEqual(a);
      }),
    );
  });

  it('pairs a with b exactly when it pairs b with a (the relation is symmetric)', () => {
    fc.assert(
      fc.property(batches, (bs) => {
        fc.pre(bs.length >= 2);
        const [a, b] = [bs[0]!, bs[1]!];
        const ab = detectBatchMerges([a, b]);
        const ba = detectBatchMerges([b, a]);
        expect(ab).toEqual(ba);
        expect(scopesOverlap(a.scope, b.scope)).toBe(scopesOverlap(b.scope, a.scope));
        expect(windowGap(a, b)).toBe(windowGap(b, a));
      }),
    );
  });

  it('never proposes within one department; members distinct, in ref order', () => {
    fc.assert(
      fc.property(batches, visits, nearDays, (bs, vs, n) => {
        for (const p of detectMerges({ batches: bs, visits: vs }, n)) {
          expect(p.departmentIds[0]).not.toBe(p.departmentIds[1]);
          expect(p.members[0] < p.members[1]).toBe(true);
          expect(p.key).toBe(`${p.kind}|${p.members[0]}|${p.members[1]}`);
        }
      }),
    );
  });

  it('entity proposals: same entity, windows within N days; every such pair is proposed', () => {
    fc.assert(
      fc.property(visits, nearDays, (vs, n) => {
        const ps = detectEntityMerges(vs, n);
        const byRef = new Map(vs.map((v) => [v.ref, v]));
        for (const p of ps) {
          const [a, b] = p.members.map((r) => byRef.get(r)!);
          expect(a!.entityId).toBe(b!.entityId);
          expect(p.entityId).toBe(a!.entityId);
          expect(windowGap(a!, b!)).toBeLessThanOrEqual(n);
          expect(p.gapDays).toBe(windowGap(a!, b!));
          expect(p.windowStart <= p.windowEnd).toBe(true);
          expect(daysBetween(p.windowStart, p.windowEnd)).toBeLessThanOrEqual(
            p.gapDays > 0 ? p.gapDays : daysBetween(a!.windowStart, a!.windowEnd),
          );
        }
        let expected = 0;
        for (let i = 0; i < vs.length; i++)
          for (let j = i + 1; j < vs.length; j++) {
            const a = vs[i]!;
            const b = vs[j]!;
            if (a.entityId === b.entityId && a.departmentId !== b.departmentId && windowGap(a, b) <= n)
              expected++;
          }
        expect(ps).toHaveLength(expected);
      }),
    );
  });

  it('batch proposals: windows overlap and scopes overlap; the window is the common part', () => {
    fc.assert(
      fc.property(batches, (bs) => {
        const byRef = new Map(bs.map((b) => [b.ref, b]));
        for (const p of detectBatchMerges(bs)) {
          const [a, b] = p.members.map((r) => byRef.get(r)!);
          expect(windowGap(a!, b!)).toBe(0);
          expect(scopesOverlap(a!.scope, b!.scope)).toBe(true);
          expect(p.windowStart >= a!.windowStart && p.windowStart >= b!.windowStart).toBe(true);
          expect(p.windowEnd <= a!.windowEnd && p.windowEnd <= b!.windowEnd).toBe(true);
        }
      }),
    );
  });

  it('is deterministic and ordered: batches first, then by window start and key', () => {
    fc.assert(
      fc.property(batches, visits, nearDays, (bs, vs, n) => {
        const ps = detectMerges({ batches: bs, visits: vs }, n);
        expect(detectMerges({ batches: bs, visits: vs }, n)).toEqual(ps);
        for (let i = 1; i < ps.length; i++) {
          const a = ps[i - 1]!;
          const b = ps[i]!;
          const ka = `${a.kind === 'batch' ? 0 : 1}|${a.windowStart}|${a.key}`;
          const kb = `${b.kind === 'batch' ? 0 : 1}|${b.windowStart}|${b.key}`;
          expect(ka < kb).toBe(true);
        }
      }),
    );
  });

  it('a larger N proposes a superset', () => {
    fc.assert(
      fc.property(visits, nearDays, nearDays, (vs, n1, n2) => {
        const [lo, hi] = n1 <= n2 ? [n1, n2] : [n2, n1];
        const keys = new Set(detectEntityMerges(vs, hi).map((p) => p.key));
        for (const p of detectEntityMerges(vs, lo)) expect(keys.has(p.key)).toBe(true);
      }),
    );
  });
});

describe('detector examples', () => {
  it('proposes two departments’ overlapping batches, not a third that lies elsewhere', () => {
    const ps = detectBatchMerges([
      { ref: 'task:1', departmentId: 1, windowStart: '2023-05-01', windowEnd: '2023-05-31', scope: null },
      {
        ref: 'batch:7',
        departmentId: 2,
        windowStart: '2023-05-20',
        windowEnd: '2023-06-30',
        scope: { streets: ['张家村街道'] },
      },
      {
        ref: 'task:2',
        departmentId: 3,
        windowStart: '2023-05-01',
        windowEnd: '2023-06-30',
        scope: { streets: ['柏树林街道'], industryPrefixes: ['H62'] },
      },
      { ref: 'task:3', departmentId: 1, windowStart: '2023-05-01', windowEnd: '2023-05-31', scope: null },
    ]);
    expect(ps.map((p) => [p.key, p.windowStart, p.windowEnd])).toEqual([
      ['batch|task:1|task:2', '2023-05-01', '2023-05-31'],
      ['batch|task:2|task:3', '2023-05-01', '2023-05-31'],
      ['batch|batch:7|task:1', '2023-05-20', '2023-05-31'],
      ['batch|batch:7|task:3', '2023-05-20', '2023-05-31'],
    ]);
  });

  it('industry prefixes overlap by prefix, either way', () => {
    expect(scopesOverlap({ industryPrefixes: ['H'] }, { industryPrefixes: ['H62'] })).toBe(true);
    expect(scopesOverlap({ industryPrefixes: ['H621'] }, { industryPrefixes: ['H62'] })).toBe(true);
    expect(scopesOverlap({ industryPrefixes: ['P'] }, { industryPrefixes: ['H62'] })).toBe(false);
    expect(scopesOverlap({ tags: [] }, { tags: ['校外培训'] })).toBe(true);
  });

  it('entity visits 30 days apart are proposed with N = 30, not with N = 29', () => {
    const vs: DueVisit[] = [
      { ref: 'target:1', entityId: 9, departmentId: 1, windowStart: '2023-03-01', windowEnd: '2023-03-31' },
      { ref: 'target:2', entityId: 9, departmentId: 2, windowStart: '2023-04-30', windowEnd: '2023-05-15' },
      { ref: 'target:3', entityId: 9, departmentId: 1, windowStart: '2023-04-01', windowEnd: '2023-04-10' },
      { ref: 'target:4', entityId: 8, departmentId: 2, windowStart: '2023-03-01', windowEnd: '2023-03-31' },
    ];
    expect(detectEntityMerges(vs, 30).map((p) => [p.key, p.gapDays, p.windowStart, p.windowEnd])).toEqual([
      ['entity|target:1|target:2', 30, '2023-03-31', '2023-04-30'],
      ['entity|target:2|target:3', 20, '2023-04-10', '2023-04-30'],
    ]);
    expect(detectEntityMerges(vs, 29).map((p) => p.key)).toEqual(['entity|target:2|target:3']);
  });

  it('joint rules: N defaults to 30; a bad stored value falls back', () => {
    expect(mergeJointRules(undefined)).toEqual({ nearDays: 30 });
    expect(mergeJointRules({ nearDays: 14 })).toEqual({ nearDays: 14 });
    expect(mergeJointRules({ nearDays: -1 })).toEqual({ nearDays: 30 });
    expect(mergeJointRules({ nearDays: 2.5 })).toEqual({ nearDays: 30 });
  });
});

describe('burden metric', () => {
  it('counts a joint task target once, a joint visit once, and the visits saved', () => {
    const b = visitBurden([
      { entityId: 1, targetId: 10, departmentCount: 2, jointVisitId: null }, // joint task target
      { entityId: 1, targetId: 11, departmentCount: 1, jointVisitId: 5 }, // joint visit of two
      { entityId: 1, targetId: 12, departmentCount: 1, jointVisitId: 5 },
      { entityId: 2, targetId: 13, departmentCount: 1, jointVisitId: null },
      { entityId: 2, targetId: 13, departmentCount: 1, jointVisitId: null }, // same target twice
    ]);
    expect(b).toEqual({
      entities: 2,
      visits: 3,
      departmentVisits: 5,
      saved: 2,
      visitsPerEntity: 1.5,
      maxVisits: 2,
      perEntity: [
        { entityId: 1, visits: 2, departmentVisits: 4, saved: 2 },
        { entityId: 2, visits: 1, departmentVisits: 1, saved: 0 },
      ],
    });
  });

  it('visits never exceed department visits; saved = the difference', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            entityId: fc.integer({ min: 1, max: 5 }),
            targetId: fc.integer({ min: 1, max: 30 }),
            departmentCount: fc.integer({ min: 1, max: 3 }),
            jointVisitId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
          }),
        ),
        (ts) => {
          const b = visitBurden(ts);
          expect(b.visits).toBeLessThanOrEqual(b.departmentVisits);
          expect(b.saved).toBe(b.departmentVisits - b.visits);
          expect(b.perEntity.reduce((n, e) => n + e.visits, 0)).toBe(b.visits);
        },
      ),
    );
  });
});
