/**
 * The class-recovery attack (issue 10 §1, draw-protocol-v2 §10) on public v2 bundles: an observer
 * who holds every public bundle and knows every class's sampling ratio guesses each roster entity's
 * risk class (privacy-attack-lib.ts). Not selected: he must do no better than the base rate (the
 * most frequent class among the unselected, from the public aggregates) + 1 percentage point, per
 * bundle and pooled. Selected: his rate from the public tickets is printed against the base rate
 * among the selected. The same attacker on a v1-style view of the same draws (a label on every
 * roster line) is printed too: the before/after.
 *
 * On the demo (loadDemo, as demo.test.ts builds it): everything public is collected — publicDraws,
 * every publicDraw page, every public bundle as served (drawBundleFile, view 'public'), every page
 * of publicResults — and none of it may carry a stratum label (but the commitment's strata list) or
 * a risk-class field. The truth is internal (the full bundle's openings and draws.stratum_classes,
 * the directory's class for single-stratum draws): the test reads it, the attacker does not.
 * A second, quick world is built directly with the core API (buildCommitmentV2/runDrawV2) on
 * synthetic rosters with the demo's class mix and ratio presets.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCommitmentV2,
  publicViewV2,
  runDrawV2,
  type FullBundleV2,
  type PublicBundleV2,
  type RosterEntry,
} from '@choucha/core';
import { openTestDatabase } from '../testing.ts';
import { makeServices, type Services } from '../context.ts';
import { loadDemo } from '../demo.ts';
import { drawBundleFile, publicDraw, publicDraws, publicResults } from '../public.ts';
import {
  attackView,
  labelClasses,
  openingsLabels,
  rosterLines,
  scoreView,
  selectedBound,
  summarize,
  v1StyleView,
  viewOfPublic,
  type ViewScore,
} from './privacy-attack-lib.ts';

/** A deterministic stand-in for crypto.randomBytes: SHA-256 of a counter. */
function countingBytes(label: string) {
  let n = 0;
  return (size: number) => {
    const out = Buffer.alloc(size);
    for (let at = 0; at < size; at += 32)
      createHash('sha256').update(`${label}-${n++}`).digest().copy(out, at);
    return out;
  };
}
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

// the demo's class mix (generateDistrict(): A 8836, B 16603, C 3644, D 917 of 30000) and its ratio
// presets (packages/demo/src/history.ts CLASS_PRESETS)
const MIX: [string, number][] = [
  ['A', 0.2945],
  ['B', 0.5534],
  ['C', 0.1215],
  ['D', 0.0306],
];
const PRESETS: Record<string, number>[] = [
  { A: 0.02, B: 0.05, C: 0.3, D: 1 },
  { A: 0.03, B: 0.1, C: 0.4, D: 1 },
  { A: 0.05, B: 0.2, C: 0.6, D: 1 },
  { A: 0.1, B: 0.3, C: 0.6, D: 1 },
  { A: 0.2, B: 0.5, C: 0.8, D: 1 },
];

function syntheticDraw(i: number, n: number, ratios: Record<string, number>) {
  const truth = new Map<string, string>();
  const labelOf = new Map(MIX.map(([c]) => [c, `S${hex(`label-${i}-${c}`).slice(0, 8)}`]));
  const roster: RosterEntry[] = [];
  for (let k = 0; k < n; k++) {
    // the class by the mix, from a hash of (draw, entity): a roster in key order carries no order of class
    const u = parseInt(hex(`class-${i}-${k}`).slice(0, 8), 16) / 2 ** 32;
    let acc = 0;
    const cls = MIX.find(([, share]) => (acc += share) > u)?.[0] ?? 'D';
    const key = `91610103MA${String(i * 100_000 + k).padStart(8, '0')}`;
    truth.set(key, cls);
    roster.push({ key, stratum: labelOf.get(cls)! });
  }
  const inspectors = Array.from({ length: 8 }, (_, j) => ({
    id: `I${i}-${j}`,
    department: 'D1',
    fields: [],
    certificate: { from: '2020-01-01', to: '2030-12-31' },
    unavailable: [],
    load: 0,
  }));
  const c = buildCommitmentV2(
    {
      task: { id: `T${i}`, name: `synthetic ${i}` },
      attempt: 1,
      predecessor: null,
      audit: { seq: i, hash: hex(`audit-${i}`) },
      items: [{ id: 'item', department: 'D1', field: null }],
      roster,
      strata: MIX.map(([c]) => ({ label: labelOf.get(c)!, ratio: String(ratios[c]) })),
      matching: {
        inspection: { from: '2023-05-08', to: '2023-05-19' },
        rules: { teamSize: 2, maxLoad: null, avoidPrevious: false },
        inspectors,
        recusals: [],
        previous: [],
      },
      seedSource: { dice: { digits: 20 }, drand: null },
    },
    countingBytes(`synthetic-${i}`),
  );
  if (!c.ok) throw new Error(c.error.message);
  const dice = String(BigInt(`0x${hex(`dice-${i}`).slice(0, 16)}`))
    .padStart(20, '0')
    .slice(0, 20);
  const d = runDrawV2(c.value, { dice, beacon: null }, []);
  if (!d.ok) throw new Error(d.error.message);
  return { full: d.value.bundle, truth };
}

describe('class recovery from public v2 bundles: a synthetic world with the demo’s class mix', () => {
  const draws = Array.from({ length: 10 }, (_, i) =>
    syntheticDraw(i, 400 + 300 * i, PRESETS[i % PRESETS.length]!),
  );
  const ratiosOf = (i: number) => PRESETS[i % PRESETS.length]!;
  const prior = new Map(MIX);

  it('public roster lines carry no label: only key TAB nonce hash', () => {
    for (const { full } of draws) {
      const pub = publicViewV2(full);
      for (const line of rosterLines(pub.roster)) expect(line.label).toBeNull();
      expect(pub.roster).toMatch(/^([0-9A-Z]{15,18}\t[0-9a-f]{64}\n)+$/);
      expect(JSON.stringify(pub)).not.toContain('"private"');
      // no label of the draw outside the commitment's strata list
      const labels = full.commitment.strata.map((s) => s.label);
      const { strata: _s, ...rest } = pub.commitment;
      const text = JSON.stringify({ ...pub, commitment: rest });
      for (const l of labels) expect(text).not.toContain(l);
    }
  });

  it('recovers no more than the base rate for unselected entities; v1-style views gave almost every class away', () => {
    const v2: ViewScore[] = [];
    const v1: ViewScore[] = [];
    draws.forEach(({ full, truth }, i) => {
      const pub = publicViewV2(full);
      v2.push(
        scoreView(
          `synthetic ${i}`,
          attackView(viewOfPublic(`synthetic ${i}`, pub), ratiosOf(i), prior),
          truth,
        ),
      );
      v1.push(
        scoreView(
          `synthetic ${i}`,
          attackView(v1StyleView(`synthetic ${i}`, full), ratiosOf(i), prior),
          truth,
        ),
      );
    });
    const s2 = summarize(v2);
    const s1 = summarize(v1);
    console.log(
      JSON.stringify({ attack: 'synthetic-v2', ...s2, v1Style: { ...s1.unselected, selected: s1.selected } }),
    );
    for (const s of v2)
      expect(s.unselected.correct / s.unselected.n).toBeLessThanOrEqual(
        s.unselected.base / s.unselected.n + 0.01,
      );
    expect(s2.unselected.rate).toBeLessThanOrEqual(s2.unselected.base + 0.01);
    expect(s2.entities).toBe(draws.reduce((n, d) => n + d.truth.size, 0));
    // the before: a label on every line gives every class away
    expect(s1.unselected.rate).toBeGreaterThanOrEqual(0.99);
    expect(s1.selected.rate).toBeGreaterThanOrEqual(0.99);
  });
});

/** Every member name anywhere in a JSON value. */
function memberNames(x: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(x)) for (const v of x) memberNames(v, into);
  else if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) {
      into.add(k);
      memberNames(v, into);
    }
  return into;
}
/** A member name that would carry a risk class or a stratum label per entity. */
const CLASS_FIELD = /risk|^stratum$|^stratum_?classes$|^classes$|^class$|^label$/i;

describe('class recovery from the demo’s public v2 bundles', () => {
  let svc: Services;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await openTestDatabase();
    cleanup = t.cleanup;
    svc = makeServices(t.database, { mode: 'test', randomBytes: countingBytes('demo-attack') });
    await loadDemo(svc);
  }, 900_000);
  afterAll(async () => {
    await cleanup?.();
  });

  it('finds no class in anything public, and recovers no more than the base rate for unselected entities', async () => {
    // ---- everything public ----
    const list = await publicDraws(svc);
    const pages = [];
    const bundles: { id: number; text: string; bundle: PublicBundleV2 }[] = [];
    for (const d of list) {
      pages.push(await publicDraw(svc, d.id));
      const file = await drawBundleFile(svc, d.id, { view: 'public' });
      const text = gunzipSync(file.gzip).toString('utf8');
      bundles.push({ id: d.id, text, bundle: JSON.parse(text) as PublicBundleV2 });
    }
    const results: unknown[] = [];
    for (let page = 1; ; page++) {
      const r = await publicResults(svc, { page, pageSize: 100 });
      results.push(...r.items);
      if (page * 100 >= r.total) break;
    }
    // every demo draw is v2, publicly a v2 public view
    expect(list.length).toBeGreaterThan(50);
    expect(results.length).toBeGreaterThan(500);
    expect(new Set(bundles.map((b) => `${b.bundle.format} ${b.bundle.view}`))).toEqual(
      new Set(['choucha-draw-bundle-v2 public']),
    );
    expect(new Set(list.map((d) => d.algorithmVersion))).toEqual(new Set(['choucha-draw-v2']));

    // ---- no label (but the commitment's strata list) and no class field in public ----
    const labels = new Set<string>();
    for (const { bundle } of bundles)
      for (const s of bundle.commitment.strata) if (s.label !== 'ALL') labels.add(s.label);
    expect(labels.size).toBeGreaterThan(100);
    const withoutStrata = (c: PublicBundleV2['commitment']) => {
      const { strata: _s, ...rest } = c;
      return rest;
    };
    const texts: [string, string][] = [
      ['publicDraws', JSON.stringify(list)],
      ...pages.map((p): [string, string] => [
        `publicDraw ${p.id}`,
        JSON.stringify({
          ...p,
          commitment: withoutStrata(JSON.parse(p.commitment) as PublicBundleV2['commitment']),
        }),
      ]),
      ...bundles.map(({ id, bundle }): [string, string] => [
        `bundle ${id}`,
        JSON.stringify({ ...bundle, commitment: withoutStrata(bundle.commitment) }),
      ]),
      ['publicResults', JSON.stringify(results)],
    ];
    const leaks: string[] = [];
    for (const [where, text] of texts) {
      for (const l of labels) if (text.includes(l)) leaks.push(`${where}: ${l}`);
      for (const k of memberNames(JSON.parse(text))) if (CLASS_FIELD.test(k)) leaks.push(`${where}: .${k}`);
    }
    expect(leaks).toEqual([]);
    // (a) no label on a public roster line: only key TAB nonce hash
    for (const { bundle } of bundles) {
      expect(bundle.roster).toMatch(/^([0-9A-Z]{13,18}\t[0-9a-f]{64}\n)+$/);
      for (const line of rosterLines(bundle.roster)) expect(line.label).toBeNull();
    }

    // ---- the truth (internal) and the attacker's knowledge of the ratios ----
    const internal = await svc.database.query<{
      id: number;
      classes: Record<string, string>;
      sampling: { classes?: Record<string, number> };
      entity_ids: number[];
      unclassified: string | null;
    }>(
      `select d.id, d.stratum_classes as classes, t.sampling, d.roster_entity_ids as entity_ids,
              d.rules->>'unclassifiedClass' as unclassified
         from draws d join tasks t on t.id = d.task_id order by d.id`,
    );
    const directory = new Map(
      (
        await svc.database.query<{ id: number; risk_class: string | null }>(
          'select id, risk_class from entities',
        )
      ).map((e) => [e.id, e.risk_class]),
    );
    const byId = new Map(internal.map((r) => [r.id, r]));
    const fulls = new Map<number, FullBundleV2>();
    for (const { id } of bundles)
      fulls.set(
        id,
        JSON.parse(
          gunzipSync((await drawBundleFile(svc, id, { view: 'full' })).gzip).toString('utf8'),
        ) as FullBundleV2,
      );
    const truthOf = (id: number, bundle: PublicBundleV2): Map<string, string> => {
      const row = byId.get(id)!;
      const keys = rosterLines(bundle.roster).map((l) => l.key);
      const out = new Map<string, string>();
      const opened = openingsLabels(fulls.get(id)!);
      keys.forEach((k, i) => {
        const label = opened.get(k)!;
        const cls =
          label === 'ALL'
            ? (directory.get(row.entity_ids[i]!) ?? row.unclassified ?? 'unclassified')
            : row.classes[label]!;
        out.set(k, cls);
      });
      return out;
    };
    const ratiosOf = (id: number) => byId.get(id)!.sampling.classes ?? {};
    // the attacker's mapping is right: each label's class is the one whose ratio it is
    for (const { id, bundle } of bundles)
      for (const [label, cls] of labelClasses(bundle.commitment.strata, ratiosOf(id)))
        expect(cls, `draw ${id} ${label}`).toBe(byId.get(id)!.classes[label]);
    // his prior for single-stratum draws: the class mix of the stratified draws' public populations
    const prior = new Map<string, number>();
    for (const { id, bundle } of bundles)
      for (const [label, cls] of labelClasses(bundle.commitment.strata, ratiosOf(id)))
        prior.set(
          cls,
          (prior.get(cls) ?? 0) + bundle.commitment.strata.find((s) => s.label === label)!.population,
        );

    // ---- the attack: v2 public views, and v1-style views of the same draws ----
    const v2: ViewScore[] = [];
    const v1: ViewScore[] = [];
    const v1Stratified: ViewScore[] = [];
    for (const { id, bundle } of bundles) {
      const truth = truthOf(id, bundle);
      const name = `draw ${id}`;
      v2.push(scoreView(name, attackView(viewOfPublic(name, bundle), ratiosOf(id), prior), truth));
      const old = scoreView(name, attackView(v1StyleView(name, fulls.get(id)!), ratiosOf(id), prior), truth);
      v1.push(old);
      if (bundle.commitment.strata.some((s) => s.label !== 'ALL')) v1Stratified.push(old);
    }
    const s2 = summarize(v2);
    const s1 = summarize(v1);
    const s1s = summarize(v1Stratified);
    // selected entities: the measured leak against its bound (spec §10; stratified draws only — a
    // single stratum leaks nothing through the ticket)
    let boundCorrect = 0;
    let selStratified = 0;
    let correctStratified = 0;
    for (const [i, { id, bundle }] of bundles.entries()) {
      if (!bundle.commitment.strata.some((x) => x.label !== 'ALL')) continue;
      const view = viewOfPublic(`draw ${id}`, bundle);
      const extra = view.escalations.reduce((n, x) => n + x, 0);
      boundCorrect += selectedBound(
        view.strata,
        labelClasses(view.strata, ratiosOf(id)),
        extra,
      ).expectedCorrect;
      selStratified += v2[i]!.selected.n;
      correctStratified += v2[i]!.selected.correct;
    }
    console.log(
      JSON.stringify({
        attack: 'demo-v2-selected-bound',
        selected: selStratified,
        correct: correctStratified,
        rate: +(correctStratified / selStratified).toFixed(4),
        bound: +(boundCorrect / selStratified).toFixed(4),
      }),
    );
    // the best ticket attacker's expected hits, + 3 standard deviations of a count of n trials
    expect(correctStratified).toBeLessThanOrEqual(boundCorrect + 1.5 * Math.sqrt(selStratified));
    console.log(
      JSON.stringify({
        attack: 'demo-v2-public',
        ...s2,
        stratifiedViews: v1Stratified.length,
        v1Style: { unselected: s1.unselected, selected: s1.selected },
        v1StyleStratified: { unselected: s1s.unselected, selected: s1s.selected },
      }),
    );
    expect(s2.entities).toBe(bundles.reduce((n, b) => n + b.bundle.commitment.roster.size, 0));
    // not selected: the base rate, per bundle and pooled (+ 1 percentage point)
    for (const s of v2)
      expect(s.unselected.correct / Math.max(1, s.unselected.n), s.name).toBeLessThanOrEqual(
        s.unselected.base / Math.max(1, s.unselected.n) + 0.01,
      );
    expect(s2.unselected.rate).toBeLessThanOrEqual(s2.unselected.base + 0.01);
    // the before: a label on every line of a stratified draw gave every class away
    expect(s1s.unselected.rate).toBeGreaterThanOrEqual(0.99);
    expect(s1.unselected.rate).toBeGreaterThan(s2.unselected.rate + 0.1);
  }, 900_000);
});
