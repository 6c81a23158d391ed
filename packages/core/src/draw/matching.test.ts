import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../hash/index.ts';
import type { Inspector, Item, MatchingInput } from './commitment.ts';
import { matchInspectors, orderTargets, type Target } from './matching.ts';
import { referenceMatchInspectors } from './testing/matching-reference.ts';

const DATES = { from: '2024-05-06', to: '2024-05-17' };
const insp = (id: string, department: string, extra: Partial<Inspector> = {}): Inspector => ({
  id,
  department,
  fields: ['f'],
  certificate: { from: '2020-01-01', to: '2030-01-01' },
  unavailable: [],
  load: 0,
  ...extra,
});
const items: Item[] = [
  { id: 'i1', department: 'D1', field: 'f' },
  { id: 'i2', department: 'D2', field: null },
];
const targets = (n: number): Target[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `K${String(i).padStart(4, '0')}`,
    ticket: bytesToHex(new Uint8Array(32).fill(i % 256)) + '',
  }));

describe('matching', () => {
  it('full teams, no recused or previous pair, loads balanced within 1, joint = union', () => {
    const ran = { infeasible: 0, teams: 0, balance: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.tuple(fc.nat(11), fc.nat(39)), { maxLength: 15 }),
        (n1, n2, nt, seed, rec) => {
          const inspectors = [
            ...Array.from({ length: n1 }, (_, i) => insp(`A${i}`, 'D1')),
            ...Array.from({ length: n2 }, (_, i) => insp(`B${i}`, 'D2')),
          ];
          const recusals = rec.map(([i, t]) => ({
            inspectorId: i % 2 ? `A${i % n1}` : `B${i % n2}`,
            key: `K${String(t).padStart(4, '0')}`,
          }));
          const m: MatchingInput = {
            inspection: DATES,
            rules: { teamSize: 2, maxLoad: null, avoidPrevious: true },
            inspectors,
            recusals,
            previous: [],
          };
          const r = matchInspectors(items, m, targets(nt), bytesToHex(seed));
          if (!r.ok) {
            // Only possible when recusals leave fewer than 2 in a department for some target.
            expect(r.error.code).toBe('MATCH_INFEASIBLE');
            const problems = (r.error.details as { problems: { key: string; department: string }[] })
              .problems;
            for (const p of problems) {
              const pool = p.department === 'D1' ? n1 : n2;
              const recusedHere = new Set(
                recusals
                  .filter(
                    (x) => x.key === p.key && x.inspectorId.startsWith(p.department === 'D1' ? 'A' : 'B'),
                  )
                  .map((x) => x.inspectorId),
              );
              expect(pool - recusedHere.size).toBeLessThan(2);
            }
            ran.infeasible++;
            return;
          }
          ran.teams++;
          expect(r.value.teams.length).toBe(nt);
          const rs = new Set(recusals.map((x) => `${x.inspectorId}|${x.key}`));
          for (const t of r.value.teams) {
            expect(t.teams.map((x) => x.department)).toEqual(['D1', 'D2']);
            for (const team of t.teams) {
              expect(team.inspectorIds.length).toBe(2);
              expect(new Set(team.inspectorIds).size).toBe(2);
              for (const id of team.inspectorIds) expect(rs.has(`${id}|${t.key}`)).toBe(false);
            }
          }
          if (recusals.length === 0) {
            ran.balance++;
            for (const prefix of ['A', 'B']) {
              const loads = Object.entries(r.value.loads)
                .filter(([id]) => id.startsWith(prefix))
                .map(([, l]) => l);
              expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
    // the team and balance checks ran on a fair share of the inputs, not only the refusals
    expect(ran.teams).toBeGreaterThan(100);
    expect(ran.balance).toBeGreaterThan(2); // ≈ 9 % of the inputs have no recusal
  });

  it('refuses as a whole, naming each target and why; never a partial team', () => {
    const inspectors = [
      insp('A1', 'D1'),
      insp('A2', 'D1'),
      insp('A3', 'D1', { unavailable: [{ from: '2024-05-15', to: '2024-06-01' }] }),
      insp('A4', 'D1', { certificate: { from: '2020-01-01', to: '2024-05-10' } }),
      insp('A5', 'D1', { fields: [] }),
      insp('B1', 'D2'),
      insp('B2', 'D2'),
    ];
    const m: MatchingInput = {
      inspection: DATES,
      rules: { teamSize: 2, maxLoad: null, avoidPrevious: true },
      inspectors,
      recusals: [{ inspectorId: 'A1', key: 'K0001' }],
      previous: [{ inspectorId: 'B2', key: 'K0002' }],
    };
    const r = matchInspectors(items, m, targets(3), '00'.repeat(32));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('MATCH_INFEASIBLE');
    const reasons = (r.error.details as { problems: { reason: string }[] }).problems.map((p) => p.reason);
    expect(reasons).toEqual([
      'K0001: only 1 eligible inspector in department D1 (2 needed); 1 recused, 1 absent on the inspection dates, 1 without a valid certificate, 1 not competent for the items',
      "K0002: only 1 eligible inspector in department D2 (2 needed); 1 on this entity's previous inspection",
    ]);
  });

  it('respects the workload cap and counts carried load', () => {
    const inspectors = [
      insp('A1', 'D1', { load: 3 }),
      insp('A2', 'D1'),
      insp('A3', 'D1'),
      insp('B1', 'D2'),
      insp('B2', 'D2'),
    ];
    const m: MatchingInput = {
      inspection: DATES,
      rules: { teamSize: 2, maxLoad: 3, avoidPrevious: false },
      inspectors,
      recusals: [],
      previous: [],
    };
    const ok = matchInspectors(items, m, targets(3), '01'.repeat(32));
    expect(ok).toMatchObject({ ok: true, value: { loads: { A1: 3, A2: 3, A3: 3, B1: 3, B2: 3 } } });
    expect(Object.keys(ok.ok ? ok.value.loads : {})).toHaveLength(5);
    const bad = matchInspectors(items, m, targets(4), '01'.repeat(32));
    expect(bad).toMatchObject({ ok: false, error: { code: 'MATCH_INFEASIBLE' } });
  });

  it('is uniform among equally loaded inspectors (first pick over 4,000 seeds)', () => {
    const inspectors = [
      ...Array.from({ length: 8 }, (_, i) => insp(`A${i}`, 'D1')),
      insp('B1', 'D2'),
      insp('B2', 'D2'),
    ];
    const m: MatchingInput = {
      inspection: DATES,
      rules: { teamSize: 2, maxLoad: null, avoidPrevious: false },
      inspectors,
      recusals: [],
      previous: [],
    };
    const counts = new Map<string, number>();
    for (let s = 0; s < 4000; s++) {
      const seed = bytesToHex(new Uint8Array(32).map((_, i) => (i < 4 ? (s >> (8 * i)) & 255 : 0)));
      const r = matchInspectors(items, m, targets(1), seed);
      if (!r.ok) throw new Error();
      for (const id of r.value.teams[0]!.teams[0]!.inspectorIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const e = (4000 * 2) / 8;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - e) ** 2 / e;
    expect(counts.size).toBe(8);
    expect(chi2).toBeLessThan(24.32); // df = 7, 0.999 quantile
  });

  it('the heap matching equals the reference scan (teams, loads, refusals) on random inputs', () => {
    const dept = fc.constantFrom('D1', 'D2', 'D3');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            department: dept,
            fields: fc.subarray(['f', 'g']),
            load: fc.nat(4),
            absent: fc.boolean(),
            expired: fc.boolean(),
            longId: fc.boolean(),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.array(fc.record({ department: dept, field: fc.constantFrom('f', 'g', null) }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.tuple(fc.nat(24), fc.nat(29)), { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(24), fc.nat(29)), { maxLength: 20 }),
        fc.record({
          teamSize: fc.integer({ min: 2, max: 3 }),
          maxLoad: fc.option(fc.integer({ min: 1, max: 8 })),
          avoidPrevious: fc.boolean(),
        }),
        (specs, itemSpecs, nt, seed, rec, prev, rules) => {
          // Ids of several lengths, some beyond one SHA-256 block, some non-ASCII.
          const id = (i: number) => (specs[i]!.longId ? `检查员-${String(i).padStart(20, '0')}` : `I${i}`);
          const inspectors = specs.map((s, i) =>
            insp(id(i), s.department, {
              fields: s.fields,
              load: s.load,
              unavailable: s.absent ? [{ from: '2024-05-10', to: '2024-05-11' }] : [],
              certificate: { from: '2020-01-01', to: s.expired ? '2024-05-01' : '2030-01-01' },
            }),
          );
          const its: Item[] = itemSpecs.map((x, i) => ({ id: `i${i}`, ...x }));
          const pairs = (ps: [number, number][]) =>
            ps.map(([i, t]) => ({
              inspectorId: id(i % specs.length),
              key: `K${String(t).padStart(4, '0')}`,
            }));
          const m: MatchingInput = {
            inspection: DATES,
            rules,
            inspectors,
            recusals: pairs(rec),
            previous: pairs(prev),
          };
          const ts = targets(nt);
          const s = bytesToHex(seed);
          expect(matchInspectors(its, m, ts, s)).toEqual(referenceMatchInspectors(its, m, ts, s));
        },
      ),
      { numRuns: 800 },
    );
  });
});

describe('orderTargets', () => {
  it('is the order of (ticket, key) as strings, tickets malformed or not', () => {
    const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefAF-'), maxLength: 16 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.constantFrom('K1', 'K2', 'K3'),
            ticket: fc.oneof(
              hexish,
              fc.constantFrom('0'.repeat(64), `${'0'.repeat(13)}1`, `${'0'.repeat(13)}0`),
            ),
          }),
          { maxLength: 40 },
        ),
        (ts) => {
          const want = [...ts].sort((a, b) =>
            a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
          );
          expect(orderTargets(ts)).toEqual(want);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
