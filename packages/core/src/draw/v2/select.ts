/**
 * Selection (docs/specs/draw-protocol-v2.md §8) from the openings: in each stratum the entities
 * with the smallest (ticket, key), `size` of them plus each escalation round's `extra` (capped at
 * the population); phase 0 for rank ≤ size, else the round that added it. O(N) quickselect on the
 * 53-bit ticket prefixes; only the winners' full tickets are computed and sorted (as v1 tickets.ts).
 * Also the matching of v2 (§9): v1's matchInspectors on the pseudonymous pool with the v2 tag.
 */
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { drawErr, type DrawError } from '../errors.ts';
import { matchInspectors, type InfeasibleTarget, type Target, type TargetTeam } from '../matching.ts';
import type { StratumPlan } from '../strata.ts';
import { wordsToHex, type MidstateHasher } from '../ticket-hash.ts';
import { MATCH_TAG_V2 } from './hashes.ts';
import { keyAt, ticketAt, type OpeningsScan, type RosterIndex } from './texts.ts';
import type { CommitmentRecordV2, EscalationEntryV2, SelectedV2 } from './types.ts';
import { kthSmallest } from '../tickets.ts';

export interface StratumPick {
  label: string;
  population: number;
  /** bounds[0] = committed size (capped), bounds[r] = size after round r. */
  bounds: number[];
  /** Roster indices of the selected, in (ticket, key) order. */
  winners: number[];
  tickets: string[];
}

export interface SelectionV2 {
  picks: StratumPick[];
  /** The public selection, by (phase, ticket, key). */
  selection: SelectedV2[];
  /** Entities each round added (after caps). */
  escalations: number[];
}

/**
 * Escalation rounds as per-stratum extras (index = stratum index). Each round: labels of strata
 * (else DRAW_STRATUM_UNKNOWN, §12 step 9), unique, extra an integer 1 … 10^8 (else `code`).
 * Errors name `path` (…[round][entry]).
 */
export function roundExtras(
  strata: readonly StratumPlan[],
  rounds: readonly (readonly EscalationEntryV2[])[],
  path: string,
  code: 'DRAW_ESCALATION_INVALID' | 'BUNDLE_FIELD_INVALID',
): Result<Int32Array[], DrawError> {
  const index = new Map(strata.map((s, i) => [s.label, i]));
  const out: Int32Array[] = [];
  for (let r = 0; r < rounds.length; r++) {
    const x = new Int32Array(strata.length);
    const round = rounds[r]!;
    for (let e = 0; e < round.length; e++) {
      const { label, extra } = round[e]!;
      const i = index.get(label);
      if (i === undefined)
        return drawErr(
          'DRAW_STRATUM_UNKNOWN',
          `Escalation round ${r + 1} names ${JSON.stringify(label)}, not a stratum of the commitment`,
          {
            path: `${path}[${r}][${e}].label`,
          },
        );
      if (x[i] !== 0)
        return drawErr(code, `Escalation round ${r + 1} names stratum ${label} twice`, {
          path: `${path}[${r}][${e}].label`,
        });
      if (!Number.isSafeInteger(extra) || extra < 1 || extra > 100_000_000)
        return drawErr(code, `Escalation round ${r + 1}: extra of ${label} must be an integer 1 … 10^8`, {
          path: `${path}[${r}][${e}].extra`,
        });
      x[i] = extra;
    }
    out.push(x);
  }
  return ok(out);
}

/** The selection of every stratum (scan from scanOpenings with the same ticket hasher). */
export function selectV2(
  roster: RosterIndex,
  openings: string,
  scan: OpeningsScan,
  tickets: MidstateHasher,
  strata: readonly StratumPlan[],
  extras: readonly Int32Array[],
): SelectionV2 {
  const prefix = scan.prefix;
  if (!prefix) throw new Error('Invariant: the scan computed the ticket prefixes');
  const n = roster.size;
  const S = strata.length;
  const members: Int32Array[] = [];
  for (let s = 0; s < S; s++) members.push(new Int32Array(scan.population[s]!));
  const fill = new Int32Array(S);
  for (let i = 0; i < n; i++) {
    const s = scan.stratum[i]!;
    members[s]![fill[s]!++] = i;
  }
  const w = new Int32Array(8);
  const picks: StratumPick[] = [];
  const escalations = new Array<number>(extras.length).fill(0);
  const all: { i: number; pre: number; ticket: string; phase: number }[] = [];
  for (let s = 0; s < S; s++) {
    const st = strata[s]!;
    const m = members[s]!;
    const pop = m.length;
    const bounds = [Math.min(pop, st.size)];
    for (let r = 0; r < extras.length; r++) {
      const b = Math.min(pop, bounds[r]! + extras[r]![s]!);
      escalations[r]! += b - bounds[r]!;
      bounds.push(b);
    }
    const k = bounds[bounds.length - 1]!;
    let cand: Int32Array;
    if (k === 0) cand = new Int32Array(0);
    else if (k >= pop) cand = m;
    else {
      const vals = new Float64Array(pop);
      for (let j = 0; j < pop; j++) vals[j] = prefix[m[j]!]!;
      const threshold = kthSmallest(vals, k - 1);
      let c = 0;
      for (let j = 0; j < pop; j++) if (prefix[m[j]!]! <= threshold) c++;
      cand = new Int32Array(c);
      c = 0;
      for (let j = 0; j < pop; j++) if (prefix[m[j]!]! <= threshold) cand[c++] = m[j]!;
    }
    const ticket = new Map<number, string>();
    for (const i of cand)
      ticket.set(i, wordsToHex(ticketAt(tickets, roster, i, openings, scan.nonceAt[i]!, w)));
    const winners = Array.from(cand)
      .sort((a, b) => {
        const d = prefix[a]! - prefix[b]!;
        if (d !== 0) return d;
        const ta = ticket.get(a)!;
        const tb = ticket.get(b)!;
        if (ta !== tb) return ta < tb ? -1 : 1;
        const ka = keyAt(roster, a);
        const kb = keyAt(roster, b);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      })
      .slice(0, k);
    const tks = winners.map((i) => ticket.get(i)!);
    let phase = 0;
    winners.forEach((i, r) => {
      while (phase < bounds.length - 1 && r + 1 > bounds[phase]!) phase++;
      all.push({ i, pre: prefix[i]!, ticket: tks[r]!, phase });
    });
    picks.push({ label: st.label, population: pop, bounds, winners, tickets: tks });
  }
  all.sort(
    (a, b) =>
      a.phase - b.phase ||
      a.pre - b.pre ||
      (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : 0) ||
      cmpKeys(roster, a.i, b.i),
  );
  const selection: SelectedV2[] = all.map((e) => ({
    key: keyAt(roster, e.i),
    nonce: openings.slice(scan.nonceAt[e.i]!, scan.nonceAt[e.i]! + 32),
    ticket: e.ticket,
    phase: e.phase,
  }));
  return { picks, selection, escalations };
}

function cmpKeys(r: RosterIndex, a: number, b: number): number {
  const x = keyAt(r, a);
  const y = keyAt(r, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * §9 on the pool: v1's algorithm (heaps by (load, tiebreak), phases in order) with pseudonyms as
 * ids, the exclusions as the only per-target exclusions, and M from 'choucha-match-v2'. The pool
 * is statically eligible already: each member is given the certificate, availability and fields
 * that make v1's static test pass.
 */
export function matchV2(
  record: CommitmentRecordV2,
  targets: readonly Target[],
  seedHex: string,
): Result<{ teams: TargetTeam[] | null; problems: InfeasibleTarget[] | null }, DrawError> {
  const m = record.matching;
  const fields = [...new Set(record.items.map((i) => i.field).filter((f): f is string => f !== null))];
  const r = matchInspectors(
    record.items,
    {
      inspection: m.inspection,
      rules: {
        teamSize: m.rules.teamSize,
        maxLoad: m.rules.maxLoad,
        maxPerDraw: m.rules.maxPerDraw,
        avoidPrevious: false,
      },
      inspectors: m.pool.map((p) => ({
        id: p.pseudonym,
        department: p.department,
        fields,
        certificate: m.inspection,
        unavailable: [],
        load: p.load,
      })),
      recusals: m.exclusions.map((e) => ({ inspectorId: e.pseudonym, key: e.key })),
      previous: [],
    },
    targets,
    seedHex,
    { tag: MATCH_TAG_V2 },
  );
  if (r.ok) return ok({ teams: r.value.teams, problems: null });
  if (r.error.code === 'MATCH_INFEASIBLE') {
    const problems = (r.error.details as { problems: InfeasibleTarget[] }).problems;
    return ok({ teams: null, problems });
  }
  return r;
}
