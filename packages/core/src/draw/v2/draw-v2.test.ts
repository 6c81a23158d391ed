import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRAND_MAINNET, DRAND_QUICKNET, runDraw, buildCommitment } from '../index.ts';
import { FIXTURE_SEED_INPUTS, fixtureInput } from '../fixture.ts';
import { commitmentHashV2, buildCommitmentV2, restoreCommitmentV2 } from './commitment.ts';
import { committedBundleV2, drawnBundleV2, publicViewV2, runDrawV2, withSupersededBy } from './draw.ts';
import {
  FIXTURE_RANDOM_SEED,
  FIXTURE_SEED_INPUTS_V2,
  FIXTURE_SEED_INPUTS_V2_MAINNET,
  fixtureInputV2,
  fixtureInputV2Mainnet,
  fixtureRandom,
} from './fixture.ts';
import { pseudonymOf } from './hashes.ts';
import { receiptOf, verifyReceiptV2 } from './receipt.ts';
import type { BundleV2, CommitmentInputV2, CommitmentV2, FullBundleV2 } from './types.ts';
import { verifyBundleV2 } from './verify.ts';
import { verifyBundleBytes, verifyBundleText } from './verify-file.ts';

const NO_BLS = { skipBls: true };

function commit(input: CommitmentInputV2 = fixtureInputV2(), seedText = FIXTURE_RANDOM_SEED): CommitmentV2 {
  const c = buildCommitmentV2(input, fixtureRandom(seedText));
  if (!c.ok) throw new Error(`${c.error.code}: ${c.error.message}`);
  return c.value;
}

function draw(
  c: CommitmentV2,
  rounds: { label: string; extra: number }[][] = [],
  seedInputs = FIXTURE_SEED_INPUTS_V2,
) {
  const d = runDrawV2(c, seedInputs, rounds, NO_BLS);
  if (!d.ok) throw new Error(`${d.error.code}: ${d.error.message}`);
  return d.value;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function failure(b: BundleV2) {
  const r = verifyBundleV2(b, NO_BLS);
  if (r.ok) return { code: 'verified', path: undefined };
  return { code: r.error.code, path: (r.error.details as { path?: string } | undefined)?.path };
}

/** Recomputes the commitment hash after a change of the record (what a forger would do). */
function rehash(c: CommitmentV2): CommitmentV2 {
  const h = commitmentHashV2(c.record);
  if (!h.ok) throw new Error(h.error.message);
  return { ...c, json: h.value.json, hash: h.value.hash };
}

describe('the v2 fixture (fixed randomness, real quicknet round 657413)', () => {
  const c = commit();
  const d = draw(c);

  it('has the exact commitment, seed, pool and selection', () => {
    expect(c.hash).toBe('7ba08c099441708ec109809c47b8331c3854347e573f86b8cca619ad931a82bc');
    expect(c.record.roster).toEqual({
      root: '1b6abaf273c23d0353412d6bbb36ad915981a41116869340b53ce893f727ddbb',
      size: 40,
      openingsRoot: 'ef46f7a98973988f85aede05931abc282d5303b24029f9a9a62c88735cde1586',
    });
    expect(c.record.matching.root).toBe('574a28cea7aa27100c1cfa06697824a44253ea18e93957544017d0cb29357d76');
    expect(c.privateMatching.salt).toBe('39db2fcb494338e9be8ff1ea0e5a54f75afa05b9842623aa7f09379686ce0b15');
    // S005 absent, S006 without the field, E005's certificate expired: 4 + 5 in the pool.
    expect(c.record.matching.pool.map((p) => p.department).sort()).toEqual([
      ...Array<string>(5).fill('EDU-BL'),
      ...Array<string>(4).fill('SAMR-BL'),
    ]);
    expect(
      c.record.matching.pool.find((p) => p.pseudonym === pseudonymOf(c.privateMatching.salt, 'E001'))?.load,
    ).toBe(2);
    // Two recusals and one previous pair, all in pool and roster.
    expect(c.record.matching.exclusions).toEqual(
      [
        { pseudonym: pseudonymOf(c.privateMatching.salt, 'S001'), key: '91610103MA61023757' },
        { pseudonym: pseudonymOf(c.privateMatching.salt, 'S002'), key: '91610103MA61047514' },
        { pseudonym: pseudonymOf(c.privateMatching.salt, 'E002'), key: '91610103MA61047514' },
      ].sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1)),
    );
    expect(d.bundle.seed).toBe('767badda01015da4791e293fecafbbfa0fd26bdd3d12d6ffb8d74abc0cb98163');
    expect(d.strata.map((s) => [s.label, s.selected.map((e) => e.key)])).toEqual([
      ['A', ['91610103MA61253408']],
      ['B', ['91610103MA61134623', '610103400001039', '91610103MA61197975']],
      [
        'C',
        [
          '91610103MA61087109',
          '91610103MA61102947',
          '610103400001029',
          '91610103MA61213813',
          '91610103MA61277165',
          '91610103MA61293003',
          '91610103MA61285084',
          '610103400001019',
        ],
      ],
      [
        'D|张家村街道',
        [
          '610103400001014',
          '91610103MA61174218',
          '91610103MA61047514',
          '91610103MA61300922',
          '91610103MA61237570',
        ],
      ],
    ]);
    expect(d.bundle.selection!.map((s) => s.key).slice(0, 4)).toEqual([
      '91610103MA61087109',
      '91610103MA61102947',
      '610103400001014',
      '91610103MA61134623',
    ]);
    expect(d.bundle.stage).toBe('matched');
    expect(d.teams![0]).toEqual({
      key: '91610103MA61087109',
      teams: [
        { department: 'EDU-BL', inspectorIds: ['E006', 'E004'] },
        { department: 'SAMR-BL', inspectorIds: ['S002', 'S001'] },
      ],
    });
    // The recused and previous inspectors are not on 91610103MA61047514's team.
    const t = d.teams!.find((x) => x.key === '91610103MA61047514')!;
    expect(t.teams.flatMap((x) => x.inspectorIds)).not.toContain('E002');
    expect(t.teams.flatMap((x) => x.inspectorIds)).not.toContain('S002');
  });

  it('verifies in both views, with the BLS signature checked', () => {
    for (const b of [d.bundle, publicViewV2(d.bundle)]) {
      const r = verifyBundleV2(b);
      expect(r).toEqual({
        ok: true,
        value: { stage: 'matched', view: b.view, targets: 17, blsChecked: true },
      });
      const o = verifyBundleText(JSON.stringify(b));
      expect(o.verdict).toBe('verified');
      expect(o.exit).toBe(0);
      expect(o.blsChecked).toBe(true);
      expect(o.commitmentHash).toBe(c.hash);
      expect(o.targets).toBe(17);
      expect(o.teams).toBe(17);
    }
    expect(verifyBundleText(JSON.stringify(d.bundle), NO_BLS).blsChecked).toBe(false);
  });

  it('the chained mainnet round 3311596 verifies (BLS on G2)', () => {
    const m = commit(fixtureInputV2Mainnet());
    const r = runDrawV2(m, FIXTURE_SEED_INPUTS_V2_MAINNET, []);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(verifyBundleV2(publicViewV2(r.value.bundle))).toEqual({
      ok: true,
      value: { stage: 'matched', view: 'public', targets: 17, blsChecked: true },
    });
  });

  it('the public view has no stratum of any entity: labels only in the commitment strata list', () => {
    const pub = publicViewV2(d.bundle);
    const text = JSON.stringify({ ...pub, commitment: { ...pub.commitment, strata: [] } });
    for (const s of c.record.strata) {
      expect(text).not.toContain(JSON.stringify(s.label));
      expect(text).not.toContain(`\\t${s.label}\\t`);
    }
    expect(text).not.toContain('张家村街道');
    expect(JSON.stringify(d.bundle)).toContain('张家村街道');
    expect(pub).not.toHaveProperty('private');
    // No nonce of an unselected entity either.
    const selected = new Set(pub.selection!.map((s) => s.nonce));
    for (const line of c.openings.trim().split('\n')) {
      const nonce = line.split('\t')[2]!;
      expect(text.includes(nonce)).toBe(selected.has(nonce));
    }
  });

  it('every stage verifies: committed (both views), drawn, superseded', () => {
    const cb = committedBundleV2(c);
    expect(verifyBundleV2(cb, NO_BLS)).toEqual({
      ok: true,
      value: { stage: 'committed', view: 'full', targets: 0, blsChecked: false },
    });
    expect(verifyBundleV2(publicViewV2(cb), NO_BLS)).toEqual({
      ok: true,
      value: { stage: 'committed', view: 'public', targets: 0, blsChecked: false },
    });
    const o = verifyBundleText(JSON.stringify(publicViewV2(cb)));
    expect([o.verdict, o.stage, o.seed]).toEqual(['verified', 'committed', null]);
    const drawn = drawnBundleV2(d.bundle);
    expect(verifyBundleV2(drawn, NO_BLS)).toEqual({
      ok: true,
      value: { stage: 'drawn', view: 'full', targets: 17, blsChecked: false },
    });
    const successor = 'f'.repeat(64);
    const sup = withSupersededBy(publicViewV2(d.bundle), successor);
    const so = verifyBundleText(JSON.stringify(sup), NO_BLS);
    expect([so.verdict, so.supersededBy]).toEqual(['verified', successor]);
  });

  it('a committed full bundle runs the seed-free checks of step 9 (spec §12 step 5)', () => {
    const cb = clone(committedBundleV2(c));
    cb.private.matching.inspectors[0]!.load += 1;
    expect(failure(cb)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.commitment.matching.root' });
    expect(failure(publicViewV2(cb)).code).toBe('verified');
    const co = clone(committedBundleV2(c));
    co.private.openings = co.private.openings.replace('\tA\t', '\tB\t');
    expect(failure(co)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.commitment.roster.openingsRoot' });
  });

  it('an unknown label in a private escalation round is DRAW_STRATUM_UNKNOWN', () => {
    const e = clone(draw(c, [[{ label: 'C', extra: 1 }]]).bundle);
    e.private.escalations[0]![0]!.label = 'Z';
    expect(failure(e)).toEqual({ code: 'DRAW_STRATUM_UNKNOWN', path: '$.private.escalations[0][0].label' });
  });

  it('restoreCommitmentV2 gives back the same commitment and refuses changed openings', () => {
    const r = restoreCommitmentV2({
      json: c.json,
      publicRoster: c.publicRoster,
      openings: c.openings,
      privateMatching: c.privateMatching,
    });
    expect(r.ok && r.value.hash).toBe(c.hash);
    const bad = restoreCommitmentV2({
      json: c.json,
      publicRoster: c.publicRoster,
      openings: c.openings.replace('\tA\t', '\tB\t'),
      privateMatching: c.privateMatching,
    });
    expect(!bad.ok && bad.error.code).toBe('DRAW_INPUT_INVALID');
  });
});

describe('tampering is detected with the code and path of its first difference', () => {
  const c = commit();
  const d = draw(c, [[{ label: 'C', extra: 2 }]]);
  const full = d.bundle;
  const pub = publicViewV2(full);

  const cases: [string, (b: FullBundleV2) => void, string, string][] = [
    [
      'a ticket',
      (b) => void (b.selection![3]!.ticket = b.selection![2]!.ticket),
      'DRAW_BUNDLE_MISMATCH',
      '$.selection[3].ticket',
    ],
    [
      'a nonce',
      (b) =>
        void (b.selection![5]!.nonce = b.selection![5]!.nonce.replace(/^./, (x) => (x === '0' ? '1' : '0'))),
      'DRAW_BUNDLE_MISMATCH',
      '$.selection[5].nonce',
    ],
    [
      'a team member',
      (b) => {
        const t = b.teams![0]!.teams[0]!;
        t.inspectors = [t.inspectors[1]!, t.inspectors[0]!];
      },
      'DRAW_BUNDLE_MISMATCH',
      '$.teams[0].teams[0].inspectors[0]',
    ],
    ['a load', (b) => void b.commitment.matching.pool[0]!.load++, 'DRAW_BUNDLE_MISMATCH', '$.commitmentHash'],
    [
      'an exclusion',
      (b) => void b.commitment.matching.exclusions.pop(),
      'DRAW_BUNDLE_MISMATCH',
      '$.commitmentHash',
    ],
    ['the dice', (b) => void (b.seedInputs!.dice = '31415926535897932385'), 'DRAW_BUNDLE_MISMATCH', '$.seed'],
    [
      'the dice length',
      (b) => void (b.seedInputs!.dice = '314159265358979323846'),
      'DRAW_DICE_LENGTH',
      '$.seedInputs.dice',
    ],
    ['the seed', (b) => void (b.seed = 'a'.repeat(64)), 'DRAW_BUNDLE_MISMATCH', '$.seed'],
    [
      'a roster line',
      (b) => void (b.roster = b.roster.replace(/\t[0-9a-f]/, '\t0')),
      'DRAW_BUNDLE_MISMATCH',
      '$.commitment.roster.root',
    ],
    ['an escalation count', (b) => void (b.escalations[0] = 3), 'DRAW_BUNDLE_MISMATCH', '$.escalations[0]'],
    [
      'the beacon round',
      (b) => void (b.seedInputs!.beacon!.round += 1),
      'DRAW_SEED_MISMATCH',
      '$.seedInputs.beacon.round',
    ],
    [
      'the beacon randomness',
      (b) => void (b.seedInputs!.beacon!.randomness = 'b'.repeat(64)),
      'DRAW_BEACON_INVALID',
      '$.seedInputs.beacon.randomness',
    ],
  ];
  for (const [what, change, code, path] of cases)
    it(`${what}: ${code} at ${path} (full and public)`, () => {
      const b = clone(full);
      change(b);
      expect(failure(b)).toEqual({ code, path });
      expect(failure(publicViewV2(b))).toEqual({ code, path });
    });

  it('the stratum of an opening (full view only): the openings root', () => {
    const b = clone(full);
    b.private.openings = b.private.openings.replace('\tA\t', '\tB\t');
    expect(failure(b)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.commitment.roster.openingsRoot' });
    expect(failure(publicViewV2(b))).toEqual({ code: 'verified', path: undefined });
    const u = clone(full);
    u.private.openings = u.private.openings.replace('\tA\t', '\tZ\t');
    expect(failure(u)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.private.openings' });
  });

  it('a nonce of an unselected entity in the openings (full view only)', () => {
    const b = clone(full);
    const sel = new Set(b.selection!.map((s) => s.key));
    const lines = b.private.openings.split('\n');
    const i = lines.findIndex((l) => l !== '' && !sel.has(l.split('\t')[0]!));
    lines[i] = lines[i]!.replace(/[0-9a-f]$/, (x) => (x === '0' ? '1' : '0'));
    b.private.openings = lines.join('\n');
    expect(failure(b)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.private.openings' });
  });

  it('a private escalation round (full view only)', () => {
    const b = clone(full);
    b.private.escalations = [[{ label: 'B', extra: 2 }]];
    expect(failure(b).code).toBe('DRAW_BUNDLE_MISMATCH');
    expect(failure(b).path).toMatch(/^\$\.selection/);
    expect(failure(publicViewV2(b))).toEqual({ code: 'verified', path: undefined });
  });

  it('a forged pool or exclusion list, redrawn consistently, passes the public view and fails the full one', () => {
    const forged = clone(c);
    forged.record.matching.pool[0]!.load = 7;
    const f = draw(rehash(forged));
    expect(failure(publicViewV2(f.bundle))).toEqual({ code: 'verified', path: undefined });
    expect(failure(f.bundle)).toEqual({
      code: 'DRAW_BUNDLE_MISMATCH',
      path: '$.commitment.matching.pool[0].load',
    });
    const noEx = clone(c);
    noEx.record.matching.exclusions = noEx.record.matching.exclusions.slice(1);
    const g = draw(rehash(noEx));
    expect(failure(publicViewV2(g.bundle)).code).toBe('verified');
    expect(failure(g.bundle)).toEqual({
      code: 'DRAW_BUNDLE_MISMATCH',
      path: '$.commitment.matching.exclusions[0].key',
    });
  });

  it('a forged openings root (other strata, consistent): passes the public view, the full view recomputes the matching root first', () => {
    const forged = clone(c);
    forged.privateMatching = { ...forged.privateMatching, salt: '0'.repeat(64) };
    const f = draw(rehash(forged));
    expect(failure(f.bundle)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.commitment.matching.root' });
    expect(failure(publicViewV2(f.bundle)).code).toBe('verified');
  });

  it('the untouched bundles verify', () => {
    expect(failure(full).code).toBe('verified');
    expect(failure(pub).code).toBe('verified');
  });
});

describe('escalation, infeasible, redraw', () => {
  const c = commit();

  it('an escalation keeps every phase-0 team and adds phase-1 targets after them', () => {
    const d0 = draw(c);
    const d1 = draw(c, [
      [
        { label: 'A', extra: 1 },
        { label: 'C', extra: 2 },
      ],
    ]);
    const n0 = d0.bundle.selection!.length;
    expect(d1.bundle.escalations).toEqual([3]);
    expect(d1.bundle.selection!.slice(0, n0)).toEqual(d0.bundle.selection);
    expect(d1.bundle.selection!.slice(n0).map((s) => s.phase)).toEqual([1, 1, 1]);
    expect(d1.bundle.teams!.slice(0, n0)).toEqual(d0.bundle.teams);
    expect(d1.bundle.teams).toHaveLength(n0 + 3);
    const d2 = draw(c, [
      [
        { label: 'A', extra: 1 },
        { label: 'C', extra: 2 },
      ],
      [{ label: 'A', extra: 10 }],
    ]);
    // A has 5 entities: 1 committed + 1 + 3 (capped).
    expect(d2.bundle.escalations).toEqual([3, 3]);
    expect(d2.bundle.teams!.slice(0, n0 + 3)).toEqual(d1.bundle.teams);
    expect(d2.strata.find((s) => s.label === 'A')!.size).toBe(5);
    for (const b of [d1.bundle, d2.bundle, publicViewV2(d2.bundle)]) expect(failure(b).code).toBe('verified');
    expect(d2.phaseOf[d2.bundle.selection!.at(-1)!.key]).toBe(2);
  });

  it('an escalation round naming an unknown stratum or nothing is refused', () => {
    const r = runDrawV2(c, FIXTURE_SEED_INPUTS_V2, [[{ label: 'Q', extra: 1 }]], NO_BLS);
    expect(!r.ok && r.error.code).toBe('DRAW_STRATUM_UNKNOWN');
    const e = runDrawV2(c, FIXTURE_SEED_INPUTS_V2, [[]], NO_BLS);
    expect(!e.ok && e.error.code).toBe('DRAW_ESCALATION_INVALID');
  });

  it('an infeasible matching is an outcome: stage infeasible, pairs in processing order, reasons for staff', () => {
    const input = fixtureInputV2();
    input.matching = { ...input.matching, rules: { ...input.matching.rules, teamSize: 5 } };
    const ci = commit(input);
    const d = draw(ci);
    expect(d.bundle.stage).toBe('infeasible');
    expect(d.bundle.teams).toBeNull();
    expect(d.teams).toBeNull();
    // SAMR has 4 eligible (< 5) for every target; EDU 5 (minus E002 for 91610103MA61047514, and
    // E001 once at the cap of 12 with its carried load of 2).
    const sel = d.bundle.selection!.map((s) => s.key);
    const inf = d.bundle.infeasible!;
    expect(inf.filter((p) => p.department === 'SAMR-BL').map((p) => p.key)).toEqual(sel);
    expect(inf.filter((p) => p.department === 'EDU-BL').map((p) => p.key)).toEqual(
      sel.filter((k, i) => k === '91610103MA61047514' || i >= 10),
    );
    // Processing order: selection order, departments in code-point order within a target.
    const rank = inf.map((p) => sel.indexOf(p.key) * 2 + (p.department === 'EDU-BL' ? 0 : 1));
    expect(rank).toEqual([...rank].sort((a, b) => a - b));
    expect(d.problems!.map((p) => ({ key: p.key, department: p.department }))).toEqual(inf);
    expect(d.problems![0]).toMatchObject({
      key: sel[0],
      department: 'SAMR-BL',
      needed: 5,
      eligible: 4,
      excluded: { unavailable: 1, certificate: 0, competence: 1, recused: 0, previous: 0, atCap: 0 },
    });
    const ex = d.problems!.find((p) => p.key === '91610103MA61047514' && p.department === 'SAMR-BL')!;
    expect(ex.excluded).toEqual({
      unavailable: 1,
      certificate: 0,
      competence: 1,
      recused: 0,
      previous: 1,
      atCap: 0,
    });
    const edu = d.problems!.find((p) => p.department === 'EDU-BL')!;
    expect(edu.key).toBe('91610103MA61047514');
    expect(edu.eligible).toBe(3);
    expect(edu.excluded).toEqual({
      unavailable: 0,
      certificate: 1,
      competence: 0,
      recused: 1,
      previous: 0,
      atCap: 1,
    });
    expect(edu.reason).toBe(
      '91610103MA61047514: only 3 eligible inspectors in department EDU-BL (5 needed); 1 recused, 1 at the workload cap, 1 without a valid certificate',
    );
    expect(failure(d.bundle).code).toBe('verified');
    expect(failure(publicViewV2(d.bundle)).code).toBe('verified');
    const o = verifyBundleText(JSON.stringify(publicViewV2(d.bundle)), NO_BLS);
    expect([o.verdict, o.stage, o.teams]).toEqual(['verified', 'infeasible', 0]);
    // Claiming it matched, or dropping a pair, is caught.
    const b = clone(d.bundle);
    b.infeasible = b.infeasible!.slice(1);
    expect(failure(b).code).toBe('DRAW_BUNDLE_MISMATCH');
    expect(failure(b).path).toMatch(/^\$\.infeasible/);
  });

  it('a feasible matching claimed infeasible is a mismatch at $.stage', () => {
    const d = draw(c);
    const b = clone(d.bundle) as FullBundleV2;
    b.stage = 'infeasible';
    b.teams = null;
    b.infeasible = [{ key: b.selection![0]!.key, department: 'SAMR-BL' }];
    expect(failure(b)).toEqual({ code: 'DRAW_BUNDLE_MISMATCH', path: '$.stage' });
  });

  it('a redraw (attempt 2 with its predecessor) verifies and says so', () => {
    const input = { ...fixtureInputV2(), attempt: 2, predecessor: c.hash };
    const c2 = commit(input, 'attempt 2');
    const d = draw(c2);
    const o = verifyBundleText(JSON.stringify(publicViewV2(d.bundle)), NO_BLS);
    expect([o.verdict, o.attempt, o.predecessor]).toEqual(['verified', 2, c.hash]);
    expect(d.bundle.commitmentHash).not.toBe(c.hash);
    const bad = buildCommitmentV2({ ...fixtureInputV2(), attempt: 2, predecessor: null }, fixtureRandom('x'));
    expect(!bad.ok && bad.error.code).toBe('DRAW_INPUT_INVALID');
    const bad1 = buildCommitmentV2(
      { ...fixtureInputV2(), attempt: 1, predecessor: c.hash },
      fixtureRandom('x'),
    );
    expect(!bad1.ok && bad1.error.code).toBe('DRAW_INPUT_INVALID');
  });
});

describe('receipts', () => {
  const c = commit();
  const d = draw(c);
  const pub = publicViewV2(d.bundle);

  it('a selected and an unselected entity check their receipt against the public bundle', () => {
    const sel = d.strata.find((s) => s.label === 'C')!;
    const rs = receiptOf(d.bundle, sel.selected[0]!.key)!;
    expect(rs).toMatchObject({ stratum: 'C', stratumSize: 8, last: sel.selected.at(-1)!.ticket });
    expect(verifyReceiptV2(pub, rs)).toEqual({
      ok: true,
      value: { selected: true, ticket: sel.selected[0]!.ticket },
    });
    const chosen = new Set(d.bundle.selection!.map((s) => s.key));
    const key = c.openings
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .find(([k, label]) => label === 'C' && !chosen.has(k!))![0]!;
    const ru = receiptOf(d.bundle, key)!;
    const v = verifyReceiptV2(pub, ru);
    expect(v.ok && v.value.selected).toBe(false);
    expect(v.ok && v.value.ticket > ru.last!).toBe(true);
    expect(receiptOf(d.bundle, '91610103MA69999999')).toBeNull();
  });

  it('a wrong nonce, key or last ticket is refused', () => {
    const key = d.bundle.selection![0]!.key;
    const r = receiptOf(d.bundle, key)!;
    const n = verifyReceiptV2(pub, { ...r, nonce: '0'.repeat(32) });
    expect(!n.ok && n.error.code).toBe('DRAW_BUNDLE_MISMATCH');
    const k = verifyReceiptV2(pub, { ...r, key: '91610103MA69999999' });
    expect(!k.ok && k.error.code).toBe('BUNDLE_FIELD_INVALID');
    const l = verifyReceiptV2(pub, { ...r, last: 'f'.repeat(64) });
    expect(!l.ok && l.error.code).toBe('DRAW_BUNDLE_MISMATCH');
    const h = verifyReceiptV2(pub, { ...r, commitmentHash: '0'.repeat(64) });
    expect(!h.ok && h.error.code).toBe('DRAW_BUNDLE_MISMATCH');
  });
});

describe('inputs (§12 ranges) and the seed', () => {
  const base = fixtureInputV2();
  const codeOf = (i: CommitmentInputV2) => {
    const r = buildCommitmentV2(i, fixtureRandom('x'));
    return r.ok ? 'ok' : r.error.code;
  };
  it('refuses a seed source out of range or of an unknown chain', () => {
    const q = { ...DRAND_QUICKNET, round: 1 };
    expect(codeOf({ ...base, seedSource: { dice: null, drand: null } })).toBe('DRAW_INPUT_INVALID');
    expect(codeOf({ ...base, seedSource: { dice: { digits: 19 }, drand: null } })).toBe('DRAW_INPUT_INVALID');
    expect(codeOf({ ...base, seedSource: { dice: { digits: 101 }, drand: null } })).toBe(
      'DRAW_INPUT_INVALID',
    );
    expect(codeOf({ ...base, seedSource: { dice: { digits: 100 }, drand: null } })).toBe('ok');
    expect(codeOf({ ...base, seedSource: { dice: null, drand: { ...q, chainHash: '0'.repeat(64) } } })).toBe(
      'DRAND_CHAIN_UNKNOWN',
    );
    expect(
      codeOf({ ...base, seedSource: { dice: null, drand: { ...q, publicKey: DRAND_MAINNET.publicKey } } }),
    ).toBe('DRAND_KEY_MISMATCH');
    expect(
      codeOf({ ...base, seedSource: { dice: null, drand: { ...q, scheme: 'pedersen-bls-chained' } } }),
    ).toBe('DRAND_SCHEME_UNKNOWN');
  });

  it('refuses out-of-range values', () => {
    expect(codeOf({ ...base, task: { id: '', name: 'x' } })).toBe('DRAW_INPUT_INVALID');
    expect(codeOf({ ...base, attempt: 1001, predecessor: 'a'.repeat(64) })).toBe('DRAW_INPUT_INVALID');
    expect(codeOf({ ...base, audit: { seq: -1, hash: 'a'.repeat(64) } })).toBe('DRAW_INPUT_INVALID');
    expect(
      codeOf({ ...base, matching: { ...base.matching, rules: { ...base.matching.rules, teamSize: 21 } } }),
    ).toBe('DRAW_INPUT_INVALID');
    expect(
      codeOf({
        ...base,
        matching: { ...base.matching, inspection: { from: '2024-02-30', to: '2024-03-01' } },
      }),
    ).toBe('DRAW_INPUT_INVALID');
    expect(codeOf({ ...base, roster: [...base.roster, { key: base.roster[0]!.key, stratum: 'A' }] })).toBe(
      'DRAW_DUPLICATE_KEY',
    );
    expect(codeOf({ ...base, roster: [{ key: 'not-a-key', stratum: 'A' }] })).toBe('DRAW_KEY_INVALID');
    expect(
      codeOf({
        ...base,
        roster: base.roster.map((e) => ({ ...e, stratum: e.stratum === 'A' ? 'A\u0085' : e.stratum })),
      }),
    ).toBe('DRAW_INPUT_INVALID');
    expect(
      codeOf({ ...base, strata: base.strata.map((s) => (s.label === 'A' ? { ...s, ratio: '0' } : s)) }),
    ).toBe('DRAW_RATIO_INVALID');
    expect(codeOf({ ...base, strata: base.strata.filter((s) => s.label !== 'A') })).toBe(
      'DRAW_STRATUM_UNKNOWN',
    );
    expect(codeOf({ ...base, strata: [...base.strata, { label: 'E', ratio: '0.1' }] })).toBe(
      'DRAW_STRATUM_EMPTY',
    );
  });

  it('the dice must have exactly the committed digits; a chained beacon needs its previous signature', () => {
    const c = commit();
    const short = runDrawV2(c, { ...FIXTURE_SEED_INPUTS_V2, dice: '1234567890123456789' }, [], NO_BLS);
    expect(!short.ok && short.error.code).toBe('DRAW_DICE_LENGTH');
    const long = runDrawV2(c, { ...FIXTURE_SEED_INPUTS_V2, dice: '123456789012345678901' }, [], NO_BLS);
    expect(!long.ok && long.error.code).toBe('DRAW_DICE_LENGTH');
    const m = commit(fixtureInputV2Mainnet());
    const noPrev = runDrawV2(
      m,
      { dice: null, beacon: { ...FIXTURE_SEED_INPUTS_V2_MAINNET.beacon!, previousSignature: null } },
      [],
      NO_BLS,
    );
    expect(!noPrev.ok && noPrev.error.code).toBe('DRAW_BEACON_INVALID');
    const withPrev = runDrawV2(
      c,
      {
        ...FIXTURE_SEED_INPUTS_V2,
        beacon: { ...FIXTURE_SEED_INPUTS_V2.beacon!, previousSignature: 'a'.repeat(192) },
      },
      [],
      NO_BLS,
    );
    expect(!withPrev.ok && withPrev.error.code).toBe('DRAW_BEACON_INVALID');
  });

  it('pseudonyms differ across salts and match their definition', () => {
    const a = commit(fixtureInputV2(), 'salt one');
    const b = commit(fixtureInputV2(), 'salt two');
    expect(a.privateMatching.salt).not.toBe(b.privateMatching.salt);
    const pa = new Set(a.record.matching.pool.map((p) => p.pseudonym));
    for (const p of b.record.matching.pool) expect(pa.has(p.pseudonym)).toBe(false);
    const salt = a.privateMatching.salt;
    const expected = crypto
      .createHash('sha256')
      .update(
        Buffer.concat([
          Buffer.from('choucha-pseudonym-v2'),
          Buffer.alloc(44),
          Buffer.from(salt, 'hex'),
          Buffer.from('S001'),
        ]),
      )
      .digest('hex')
      .slice(0, 16);
    expect(pseudonymOf(salt, 'S001')).toBe(expected);
  });
});

describe('files: bytes → strict parse → v1 or v2', () => {
  const c = commit();
  const d = draw(c);
  it('a v1 bundle goes to the v1 verifier unchanged', () => {
    const v1c = buildCommitment(fixtureInput());
    if (!v1c.ok) throw new Error(v1c.error.message);
    const v1 = runDraw(v1c.value, FIXTURE_SEED_INPUTS, {}, NO_BLS);
    if (!v1.ok) throw new Error(v1.error.message);
    const o = verifyBundleText(JSON.stringify(v1.value), NO_BLS);
    expect([o.verdict, o.exit, o.stage, o.format]).toEqual([
      'verified',
      0,
      'matched-v1',
      'choucha-draw-bundle-v1',
    ]);
    const t = clone(v1.value);
    t.seed = 'a'.repeat(64);
    const r = verifyBundleText(JSON.stringify(t), NO_BLS);
    expect([r.verdict, r.exit, r.code, r.path]).toEqual(['rejected', 1, 'DRAW_BUNDLE_MISMATCH', '$.seed']);
    const s = verifyBundleText(JSON.stringify({ ...v1.value, selection: 'x' }), NO_BLS);
    expect([s.verdict, s.exit]).toEqual(['unreadable', 2]);
  });

  it('unreadable files exit 2, broken v2 bundles exit 1', () => {
    const text = JSON.stringify(publicViewV2(d.bundle));
    const bytes = new TextEncoder().encode(text);
    expect(verifyBundleBytes(bytes, NO_BLS).exit).toBe(0);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect([verifyBundleBytes(bom).exit, verifyBundleBytes(bom).code]).toEqual([2, 'BUNDLE_JSON_INVALID']);
    const bad = Uint8Array.from(bytes);
    bad[bad.length - 3] = 0xff;
    expect([verifyBundleBytes(bad).exit, verifyBundleBytes(bad).code]).toEqual([2, 'BUNDLE_JSON_INVALID']);
    expect(verifyBundleText('{"format":"x"}').code).toBe('BUNDLE_FORMAT_UNKNOWN');
    expect(verifyBundleText('[1]').exit).toBe(2);
    expect(verifyBundleText('{"format":"choucha-draw-bundle-v2"}').exit).toBe(1);
    const t = clone(publicViewV2(d.bundle));
    t.seed = 'b'.repeat(64);
    const o = verifyBundleText(JSON.stringify(t), NO_BLS);
    expect([o.verdict, o.exit, o.code, o.path, o.actual]).toEqual([
      'rejected',
      1,
      'DRAW_BUNDLE_MISMATCH',
      '$.seed',
      'b'.repeat(64),
    ]);
  });
});

describe('random small draws (property)', () => {
  const KEY = (i: number) =>
    i % 7 === 3
      ? `6101034${String(10_000_000 + i).slice(-8)}`
      : `91610103MA${String(10_000_000 + i).slice(-8)}`;
  const arb = fc.record({
    n: fc.integer({ min: 1, max: 60 }),
    strata: fc.integer({ min: 1, max: 4 }),
    ratios: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 4, maxLength: 4 }),
    inspectors: fc.integer({ min: 2, max: 8 }),
    teamSize: fc.integer({ min: 2, max: 3 }),
    maxPerDraw: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    recusals: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    rounds: fc.array(
      fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 3 }),
      { maxLength: 2 },
    ),
    seed: fc.string({ maxLength: 8 }),
    dice: fc.stringMatching(/^[0-9]{20}$/),
  });

  it('full and public bundles verify, and the selection is the reference one (SHA-256 of the definition)', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const labels = Array.from(
          { length: p.strata },
          (_, i) => `S${(0x1a2b3c4d + i * 0x111).toString(16)}`,
        );
        const n = Math.max(p.n, p.strata);
        const roster = Array.from({ length: n }, (_, i) => ({ key: KEY(i), stratum: labels[i % p.strata]! }));
        const inspectors = Array.from({ length: p.inspectors }, (_, i) => ({
          id: `I${i}`,
          department: 'D1',
          fields: [],
          certificate: { from: '2020-01-01', to: '2030-01-01' },
          unavailable: [],
          load: i % 3,
        }));
        const input: CommitmentInputV2 = {
          task: { id: 'T', name: 'random' },
          attempt: 1,
          predecessor: null,
          audit: { seq: 0, hash: '0'.repeat(64) },
          items: [{ id: 'X', department: 'D1', field: null }],
          roster,
          strata: labels.map((label, i) => ({
            label,
            ratio: `0.${String(p.ratios[i]! % 1_000_000).padStart(6, '0')}`.replace(/^0\.000000$/, '1'),
          })),
          matching: {
            inspection: { from: '2024-01-01', to: '2024-01-31' },
            rules: { teamSize: p.teamSize, maxLoad: null, maxPerDraw: p.maxPerDraw, avoidPrevious: false },
            inspectors,
            recusals: p.recusals.map(([a, b]) => ({ inspectorId: `I${a % p.inspectors}`, key: KEY(b % n) })),
            previous: [],
          },
          seedSource: { dice: { digits: 20 }, drand: null },
        };
        const c = buildCommitmentV2(input, fixtureRandom(p.seed));
        expect(c.ok).toBe(true);
        if (!c.ok) return;
        const rounds = p.rounds.map((r) => {
          const m = new Map<string, number>();
          for (const [s, e] of r) m.set(labels[s % p.strata]!, e);
          return [...m].map(([label, extra]) => ({ label, extra }));
        });
        const d = runDrawV2(c.value, { dice: p.dice, beacon: null }, rounds);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        const b = d.value.bundle;
        expect(verifyBundleV2(b)).toMatchObject({ ok: true, value: { stage: b.stage, view: 'full' } });
        expect(verifyBundleV2(publicViewV2(b))).toMatchObject({
          ok: true,
          value: { stage: b.stage, view: 'public' },
        });
        expect(verifyBundleText(JSON.stringify(b)).verdict).toBe('verified');
        // Reference: every ticket from its definition, k smallest (ticket, key) per stratum.
        const T = crypto
          .createHash('sha256')
          .update(Buffer.concat([Buffer.from('choucha-ticket-v2\u0000'), Buffer.from(b.seed!, 'hex')]))
          .digest();
        const rows = c.value.openings
          .trim()
          .split('\n')
          .map((l) => l.split('\t') as [string, string, string]);
        for (const st of d.value.strata) {
          const plan = c.value.record.strata.find((s) => s.label === st.label)!;
          let size = plan.size;
          for (const r of rounds)
            size = Math.min(plan.population, size + (r.find((e) => e.label === st.label)?.extra ?? 0));
          const ref = rows
            .filter(([, l]) => l === st.label)
            .map(([k, , r]) => ({
              k,
              t: crypto
                .createHash('sha256')
                .update(Buffer.concat([T, Buffer.alloc(32), Buffer.from(r, 'hex'), Buffer.from(k)]))
                .digest('hex'),
            }))
            .sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : x.k < y.k ? -1 : 1))
            .slice(0, size);
          expect(st.selected.map((e) => [e.key, e.ticket])).toEqual(ref.map((e) => [e.k, e.t]));
        }
        expect(b.escalations.length).toBe(rounds.length);
      }),
      { numRuns: 60 },
    );
  });
});
