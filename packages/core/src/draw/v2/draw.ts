/**
 * A v2 draw after its commitment (docs/specs/draw-protocol-v2.md §6, §8, §9, §11): seed →
 * selection with the escalation rounds in order → matching on the pool; infeasible is an outcome
 * (stage 'infeasible'), not an error. And the bundles of every stage and their public view.
 */
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { compareUtf8 } from '../canonical-json.ts';
import { drawErr, type DrawError } from '../errors.ts';
import { describeInfeasible, type InfeasibleTarget } from '../matching.ts';
import type { SeedInputs, SeedOptions } from '../seed.ts';
import type { Selection } from '../tickets.ts';
import { departmentsOf, poolOf } from './commitment.ts';
import { ticketHasher } from './hashes.ts';
import { deriveSeedV2 } from './seed.ts';
import { matchV2, roundExtras, selectV2 } from './select.ts';
import { findKey, keyAt, parsePublicRoster, scanOpenings } from './texts.ts';
import {
  BUNDLE_FORMAT_V2,
  type BundleV2,
  type CommitmentV2,
  type DrawOutcomeV2,
  type EscalationEntryV2,
  type FullBundleV2,
  type PublicBundleV2,
  type TeamV2,
} from './types.ts';

const copySeedInputs = (s: SeedInputs): SeedInputs => ({
  dice: s.dice,
  beacon: s.beacon
    ? {
        round: s.beacon.round,
        randomness: s.beacon.randomness,
        signature: s.beacon.signature,
        previousSignature: s.beacon.previousSignature,
      }
    : null,
});

/** The bundle of a commitment before its seed (stage 'committed'). */
export function committedBundleV2(c: CommitmentV2): FullBundleV2 {
  return {
    format: BUNDLE_FORMAT_V2,
    view: 'full',
    commitment: c.record,
    commitmentHash: c.hash,
    roster: c.publicRoster,
    stage: 'committed',
    seedInputs: null,
    seed: null,
    escalations: [],
    selection: null,
    teams: null,
    infeasible: null,
    supersededBy: null,
    private: { openings: c.openings, matching: c.privateMatching, escalations: [] },
  };
}

/** The same bundle at stage 'drawn' (selection without matching). */
export function drawnBundleV2<B extends BundleV2>(b: B): B {
  return { ...b, stage: 'drawn', teams: null, infeasible: null };
}

/** The public view: everything but `private` (§1, §11). */
export function publicViewV2(b: BundleV2): PublicBundleV2 {
  return {
    format: BUNDLE_FORMAT_V2,
    view: 'public',
    commitment: b.commitment,
    commitmentHash: b.commitmentHash,
    roster: b.roster,
    stage: b.stage,
    seedInputs: b.seedInputs,
    seed: b.seed,
    escalations: b.escalations,
    selection: b.selection,
    teams: b.teams,
    infeasible: b.infeasible,
    supersededBy: b.supersededBy,
  };
}

export function withSupersededBy<B extends BundleV2>(b: B, successorHash: string | null): B {
  return { ...b, supersededBy: successorHash };
}

/** Escalation rounds sorted by label inside each round (the bundle's order, §12). */
function normaliseRounds(rounds: readonly (readonly EscalationEntryV2[])[]): EscalationEntryV2[][] {
  return rounds.map((r) =>
    r.map((e) => ({ label: e.label, extra: e.extra })).sort((a, b) => compareUtf8(a.label, b.label)),
  );
}

/** seed → selection (with escalation rounds in order) → matching. Infeasible is an outcome, not an error. */
export function runDrawV2(
  c: CommitmentV2,
  seedInputs: SeedInputs,
  escalations: EscalationEntryV2[][],
  opts: SeedOptions = {},
): Result<DrawOutcomeV2, DrawError> {
  const rec = c.record;
  const seed = deriveSeedV2(c.hash, rec.seedSource, seedInputs, opts);
  if (!seed.ok) return seed;
  const rounds = normaliseRounds(escalations);
  for (const r of rounds)
    if (r.length === 0) return drawErr('DRAW_ESCALATION_INVALID', 'An escalation round adds nothing');
  const extras = roundExtras(rec.strata, rounds, '$.private.escalations', 'DRAW_ESCALATION_INVALID');
  if (!extras.ok) return extras;
  const roster = parsePublicRoster(c.publicRoster);
  if (!roster.ok) return roster;
  const tickets = ticketHasher(seed.value.seed);
  const labels = rec.strata.map((s) => s.label);
  const scan = scanOpenings(c.openings, roster.value, labels, tickets);
  if (!scan.ok) return scan;
  const sel = selectV2(roster.value, c.openings, scan.value, tickets, rec.strata, extras.value);
  const targets = sel.selection.map((s) => ({ key: s.key, ticket: s.ticket, phase: s.phase }));
  const matched = matchV2(rec, targets, seed.value.seed);
  if (!matched.ok) return matched;
  const strata: Selection = sel.picks.map((p) => ({
    label: p.label,
    population: p.population,
    size: p.winners.length,
    selected: p.winners.map((i, r) => ({
      key: keyAt(roster.value, i),
      stratum: p.label,
      rank: r + 1,
      ticket: p.tickets[r]!,
    })),
  }));
  const phaseOf: Record<string, number> = {};
  for (const s of sel.selection) phaseOf[s.key] = s.phase;
  const pooled = poolOf(
    rec.items,
    rec.matching.inspection,
    rec.matching.rules.avoidPrevious,
    c.privateMatching,
    (k) => findKey(roster.value, k) >= 0,
  );
  const idOf = new Map<string, string>();
  for (const [id, p] of pooled.pseudonymOfId) idOf.set(p, id);
  const base: Omit<FullBundleV2, 'stage' | 'teams' | 'infeasible'> = {
    format: BUNDLE_FORMAT_V2,
    view: 'full',
    commitment: rec,
    commitmentHash: c.hash,
    roster: c.publicRoster,
    seedInputs: copySeedInputs(seedInputs),
    seed: seed.value.seed,
    escalations: sel.escalations,
    selection: sel.selection,
    supersededBy: null,
    private: { openings: c.openings, matching: c.privateMatching, escalations: rounds },
  };
  if (matched.value.teams) {
    const teams: TeamV2[] = matched.value.teams.map((t) => ({
      key: t.key,
      teams: t.teams.map((d) => ({ department: d.department, inspectors: [...d.inspectorIds] })),
    }));
    return ok({
      bundle: { ...base, stage: 'matched', teams, infeasible: null },
      strata,
      phaseOf,
      teams: matched.value.teams.map((t) => ({
        key: t.key,
        teams: t.teams.map((d) => ({
          department: d.department,
          inspectorIds: d.inspectorIds.map((p) => idOf.get(p)!),
        })),
      })),
      problems: null,
    });
  }
  const problems = explain(c, matched.value.problems ?? [], pooled.pseudonymOfId, idOf);
  return ok({
    bundle: {
      ...base,
      stage: 'infeasible',
      teams: null,
      infeasible: problems.map((p) => ({ key: p.key, department: p.department })),
    },
    strata,
    phaseOf,
    teams: null,
    problems,
  });
}

/**
 * The staff's reasons for each infeasible pair, from the real inspectors: the static exclusions of
 * the department (absent, certificate, competence), the recusals and previous inspections among
 * the pool (recusal first), the pool members at a cap (counted by the matching).
 */
function explain(
  c: CommitmentV2,
  problems: readonly InfeasibleTarget[],
  pseudonymOfId: ReadonlyMap<string, string>,
  idOf: ReadonlyMap<string, string>,
): InfeasibleTarget[] {
  const rec = c.record;
  const priv = c.privateMatching;
  const insp = rec.matching.inspection;
  const departments = departmentsOf(rec.items);
  const staticOut = new Map<string, { unavailable: number; certificate: number; competence: number }>();
  for (const d of departments) {
    const req = [
      ...new Set(rec.items.filter((i) => i.department === d && i.field !== null).map((i) => i.field!)),
    ];
    const o = { unavailable: 0, certificate: 0, competence: 0 };
    for (const i of priv.inspectors) {
      if (i.department !== d) continue;
      if (i.unavailable.some((u) => u.from <= insp.to && u.to >= insp.from)) o.unavailable++;
      else if (!(i.certificate.from <= insp.from && i.certificate.to >= insp.to)) o.certificate++;
      else if (!req.every((f) => i.fields.includes(f))) o.competence++;
    }
    staticOut.set(d, o);
  }
  const pairSet = (ps: readonly { inspectorId: string; key: string }[]) =>
    new Set(ps.map((p) => `${p.inspectorId}\u0000${p.key}`));
  const rec1 = pairSet(priv.recusals);
  const prev = rec.matching.rules.avoidPrevious ? pairSet(priv.previous) : new Set<string>();
  return problems.map((p) => {
    let recused = 0;
    let previous = 0;
    for (const x of rec.matching.pool) {
      if (x.department !== p.department) continue;
      const id = idOf.get(x.pseudonym);
      if (id === undefined || !pseudonymOfId.has(id)) continue;
      if (rec1.has(`${id}\u0000${p.key}`)) recused++;
      else if (prev.has(`${id}\u0000${p.key}`)) previous++;
    }
    const q = {
      key: p.key,
      department: p.department,
      needed: p.needed,
      eligible: p.eligible,
      excluded: { ...staticOut.get(p.department)!, recused, previous, atCap: p.excluded.atCap },
    };
    return { ...q, reason: describeInfeasible(q) };
  });
}
