/**
 * The class-recovery attack of issue 10 §1 (draw-protocol-v2 §10), as pure functions: what an
 * observer who holds every public bundle and knows every class's sampling ratio (the annual
 * 抽查计划 publishes them) can guess about each roster entity's risk class. Used by
 * privacy-attack.test.ts on the demo's public bundles and on a v1-style view of the same draws.
 *
 * The attacker uses every per-entity field a public view carries:
 * (a) a stratum label on the entity's roster line (v1 had one; v2 must not) → that label's class;
 * (b) a selected entity's public ticket t → argmax_c population_c × [t ≤ θ_c] (θ_c ≈ size/population,
 *     the stratum's last drawn ticket as a fraction of 2^256): a high ticket rules out low ratios;
 * (c) otherwise the aggregates: the most frequent class among the unselected (population − size
 *     per label) — the base rate.
 * Labels are mapped to classes by their committed ratio (the class whose ratio it is; ties and
 * unknown ratios by rank). A single-stratum draw ('ALL') tells nothing: the attacker falls back on
 * a prior (the class mix of the roster he could infer from the other draws' public aggregates).
 */
import { publicViewV2, type FullBundleV2, type PublicBundleV2 } from '@choucha/core';

export interface AttackStratum {
  label: string;
  ratio: string;
  population: number;
  size: number;
}

/** One draw as the attacker reads it. `label` on a roster line is null when the line has none. */
export interface AttackView {
  name: string;
  strata: AttackStratum[];
  roster: { key: string; label: string | null }[];
  selection: { key: string; ticket: string; phase: number }[];
  /** entities each public escalation round added (all strata together) */
  escalations: number[];
}

export interface Guess {
  key: string;
  selected: boolean;
  guess: string;
  /** which public fact the guess came from */
  by: 'label' | 'ticket' | 'aggregate' | 'prior';
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The public roster text of a v2 bundle (`key TAB nonceHash LF`) or of a v1-style view
 * (`key TAB label LF`): a second field that is a 64-hex nonce hash is no label.
 */
export function rosterLines(text: string): { key: string; label: string | null }[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('roster text must end with a line feed');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const fields = line.split('\t');
      if (fields.length === 2 && HEX64.test(fields[1]!)) return { key: fields[0]!, label: null };
      if (fields.length === 2) return { key: fields[0]!, label: fields[1]! };
      // any further field is read as the label too (an attacker takes what he is given)
      return { key: fields[0]!, label: fields.slice(1).join('\t') };
    });
}

/** Ticket (hex64) as a fraction of 2^256 (its first 52 bits: plenty for a threshold test). */
export function ticketFraction(ticket: string): number {
  return parseInt(ticket.slice(0, 13), 16) / 2 ** 52;
}

/**
 * label → class, from the committed ratios and the known ratio of each class: the class whose
 * ratio it is when that is unique; otherwise by rank (labels by ratio against classes by ratio).
 * 'ALL' (one stratum for everything) maps to nothing.
 */
export function labelClasses(
  strata: readonly AttackStratum[],
  classRatios: Readonly<Record<string, number>>,
): Map<string, string> {
  const out = new Map<string, string>();
  const classes = Object.entries(classRatios).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const labelled = strata.filter((s) => s.label !== 'ALL').sort((a, b) => Number(a.ratio) - Number(b.ratio));
  const unresolved: AttackStratum[] = [];
  for (const s of labelled) {
    const same = classes.filter(([, r]) => Math.abs(r - Number(s.ratio)) < 1e-9);
    if (same.length === 1) out.set(s.label, same[0]![0]);
    else unresolved.push(s);
  }
  // rank the rest among the classes not taken yet
  const free = classes.filter(([c]) => ![...out.values()].includes(c));
  unresolved.forEach((s, i) => {
    const c =
      free[
        Math.min(free.length - 1, Math.round((i * (free.length - 1)) / Math.max(1, unresolved.length - 1)))
      ];
    if (c) out.set(s.label, c[0]);
  });
  return out;
}

function argmax(scores: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let bestScore = -Infinity;
  for (const [c, s] of [...scores].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return bestScore > 0 ? best : null;
}

/** The attacker's guess for every roster entity of one view. `prior`: class → weight. */
export function attackView(
  v: AttackView,
  classRatios: Readonly<Record<string, number>>,
  prior: ReadonlyMap<string, number>,
): Guess[] {
  const classOf = labelClasses(v.strata, classRatios);
  const priorGuess = argmax(prior) ?? 'unknown';
  // (c) the class mix among the unselected, from the public aggregates
  const unselected = new Map<string, number>();
  for (const s of v.strata) {
    const c = classOf.get(s.label);
    if (c) unselected.set(c, (unselected.get(c) ?? 0) + s.population - s.size);
  }
  const aggregateGuess = argmax(unselected);
  // (b) thresholds per stratum: phase 0 from the committed size; an escalation round's entities
  // against the size plus every extra so far (the split by stratum is not public)
  const extraUpTo = (phase: number) => v.escalations.slice(0, phase).reduce((n, x) => n + x, 0);
  const ticketGuess = (ticket: string, phase: number): string | null => {
    const t = ticketFraction(ticket);
    const scores = new Map<string, number>();
    let nearest: { c: string; theta: number } | null = null;
    for (const s of v.strata) {
      const c = classOf.get(s.label);
      if (!c || s.population === 0) continue;
      const theta = Math.min(1, (s.size + extraUpTo(phase)) / s.population);
      if (t <= theta) scores.set(c, (scores.get(c) ?? 0) + s.population);
      if (!nearest || theta > nearest.theta) nearest = { c, theta };
    }
    // a ticket above every estimated threshold: the stratum with the highest one
    return argmax(scores) ?? nearest?.c ?? null;
  };
  const selected = new Map(v.selection.map((s) => [s.key, s]));
  return v.roster.map(({ key, label }): Guess => {
    const sel = selected.get(key);
    const isSel = sel !== undefined;
    if (label !== null) {
      const c = classOf.get(label);
      if (c) return { key, selected: isSel, guess: c, by: 'label' };
    }
    if (sel) {
      const c = ticketGuess(sel.ticket, sel.phase);
      if (c) return { key, selected: true, guess: c, by: 'ticket' };
    } else if (aggregateGuess) return { key, selected: false, guess: aggregateGuess, by: 'aggregate' };
    return { key, selected: isSel, guess: priorGuess, by: 'prior' };
  });
}

export interface Tally {
  n: number;
  correct: number;
  /** entities of the most frequent true class (the base rate's numerator) */
  base: number;
}

const rate = (correct: number, n: number) => (n === 0 ? 0 : correct / n);

export interface ViewScore {
  name: string;
  unselected: Tally;
  selected: Tally;
}

/** Scores the guesses of one view against the truth (key → class). */
export function scoreView(
  name: string,
  guesses: readonly Guess[],
  truth: ReadonlyMap<string, string>,
): ViewScore {
  const tally = (sel: boolean): Tally => {
    const g = guesses.filter((x) => x.selected === sel);
    const counts = new Map<string, number>();
    let correct = 0;
    for (const x of g) {
      const t = truth.get(x.key);
      if (t === undefined) throw new Error(`no true class for ${x.key} in ${name}`);
      counts.set(t, (counts.get(t) ?? 0) + 1);
      if (t === x.guess) correct++;
    }
    return { n: g.length, correct, base: Math.max(0, ...counts.values()) };
  };
  return { name, unselected: tally(false), selected: tally(true) };
}

export interface AttackSummary {
  views: number;
  entities: number;
  unselected: { n: number; rate: number; base: number };
  selected: { n: number; rate: number; base: number };
  /** per view: the smallest and largest (rate − base) in percentage points, and the rates' range */
  perView: {
    unselectedExcessPp: { min: number; max: number };
    selectedExcessPp: { min: number; max: number };
    unselectedRate: { min: number; max: number };
  };
}

const pp = (x: number) => Math.round(x * 10_000) / 100;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function summarize(scores: readonly ViewScore[]): AttackSummary {
  const sum = (f: (s: ViewScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });
  const withN = (f: (s: ViewScore) => Tally) => scores.filter((s) => f(s).n > 0);
  return {
    views: scores.length,
    entities: sum((s) => s.unselected.n + s.selected.n),
    unselected: {
      n: sum((s) => s.unselected.n),
      rate: r4(
        rate(
          sum((s) => s.unselected.correct),
          sum((s) => s.unselected.n),
        ),
      ),
      base: r4(
        rate(
          sum((s) => s.unselected.base),
          sum((s) => s.unselected.n),
        ),
      ),
    },
    selected: {
      n: sum((s) => s.selected.n),
      rate: r4(
        rate(
          sum((s) => s.selected.correct),
          sum((s) => s.selected.n),
        ),
      ),
      base: r4(
        rate(
          sum((s) => s.selected.base),
          sum((s) => s.selected.n),
        ),
      ),
    },
    perView: {
      unselectedExcessPp: range(
        withN((s) => s.unselected).map((s) =>
          pp(rate(s.unselected.correct - s.unselected.base, s.unselected.n)),
        ),
      ),
      selectedExcessPp: range(
        withN((s) => s.selected).map((s) => pp(rate(s.selected.correct - s.selected.base, s.selected.n))),
      ),
      unselectedRate: range(
        withN((s) => s.unselected).map((s) => r4(rate(s.unselected.correct, s.unselected.n))),
      ),
    },
  };
}

/** The public view as the attacker reads it. */
export function viewOfPublic(name: string, b: PublicBundleV2): AttackView {
  return {
    name,
    strata: b.commitment.strata.map((s) => ({
      label: s.label,
      ratio: s.ratio,
      population: s.population,
      size: s.size,
    })),
    roster: rosterLines(b.roster),
    selection: (b.selection ?? []).map((s) => ({ key: s.key, ticket: s.ticket, phase: s.phase })),
    escalations: b.escalations,
  };
}

/** key → stratum label, from a full bundle's openings (`key TAB label TAB nonce LF`). */
export function openingsLabels(full: FullBundleV2): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of full.private.openings.split('\n')) {
    if (line === '') continue;
    const [key, label] = line.split('\t');
    m.set(key!, label!);
  }
  return m;
}

/** A v1-style public view of the same draw: the label on every roster line (`key TAB label`). */
export function v1StyleView(name: string, full: FullBundleV2): AttackView {
  const labels = openingsLabels(full);
  const text = [...labels].map(([k, l]) => `${k}\t${l}\n`).join('');
  return { ...viewOfPublic(name, publicViewV2(full)), roster: rosterLines(text) };
}

/**
 * The bound on the selected-entity leak (draw-protocol-v2 §10): the expected number of selected
 * entities whose class the best ticket-based attacker gets right, even if he knew every stratum's
 * exact threshold. With strata sorted by threshold τ_1 ≤ … ≤ τ_m (τ = drawn / population, a ticket
 * being uniform on [0, 1)), a selected entity with ticket t lies in one of the strata with τ > t,
 * with weights ∝ their populations; the best guess is the largest of them, so
 *   E[correct] = Σ_j (τ_j − τ_{j−1}) · max_{i ≥ j} N_i     (τ_0 = 0),
 * out of Σ_i τ_i N_i selected. Strata of the same class count as one candidate each (a guess names
 * a class, and is right for either): the bound takes the class's population in that interval.
 * Escalation rounds are counted in the thresholds in proportion to each stratum's population
 * (their split by stratum is not public; it only moves τ for the strata escalated).
 */
export function selectedBound(
  strata: readonly AttackStratum[],
  classOf: ReadonlyMap<string, string>,
  extra = 0,
): { expectedCorrect: number; selected: number } {
  const total = strata.reduce((n, s) => n + s.population, 0);
  const rows = strata
    .filter((s) => s.population > 0)
    .map((s) => {
      const drawn = Math.min(s.population, s.size + (total ? (extra * s.population) / total : 0));
      return { c: classOf.get(s.label) ?? s.label, n: s.population, tau: drawn / s.population };
    })
    .sort((a, b) => a.tau - b.tau);
  let expectedCorrect = 0;
  let prev = 0;
  for (let j = 0; j < rows.length; j++) {
    const byClass = new Map<string, number>();
    for (let i = j; i < rows.length; i++)
      byClass.set(rows[i]!.c, (byClass.get(rows[i]!.c) ?? 0) + rows[i]!.n);
    expectedCorrect += (rows[j]!.tau - prev) * Math.max(...byClass.values());
    prev = rows[j]!.tau;
  }
  return { expectedCorrect, selected: rows.reduce((n, r) => n + r.tau * r.n, 0) };
}
