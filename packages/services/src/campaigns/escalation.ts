/**
 * Escalation (追加抽取): draw more in the same draw (draw-protocol §8). The seed is public, so the
 * extra targets are the next tickets of each stratum — nobody chooses them; they are matched after
 * the existing targets (phase by phase, §9), so no existing team changes. Each escalation is one
 * round (draws.escalation_rounds, with its reason), audited, and the stored bundle is replaced by
 * the escalated one, which every verifier accepts. A v2 draw reruns the v2 engine with every round
 * ({ label, extra }, draw-protocol-v2 §8: the public bundle shows only the number each round added);
 * a v1 draw keeps its v1 path.
 */
import { eq, sql } from 'drizzle-orm';
import {
  AppError,
  drawTargets,
  largestRemainder,
  matchInspectors,
  parseCanonicalRoster,
  phasedTargets,
  publicViewV2,
  roundsOf,
  runDrawV2,
  type CommitmentRecord,
} from '@choucha/core';
import { drawBundles, draws, targets, tasks } from '@choucha/db';
import { assertDepartment, authorize } from '../access.ts';
import { inTransaction } from '../audit.ts';
import { encodeBundle, insertBundle, storeBundle } from '../bundle-store.ts';
import type { Actor, Services } from '../context.ts';
import { loadTask } from '../tasks.ts';
import { insertTeamMembers, unwrap } from './draw-common.ts';
import { drawBundle } from './draw-bundle.ts';
import { getDraw, insertTargetsV2 } from './draw-reveal.ts';
import { forgetBundle } from '../public.ts';
import { isV2, restoreV2, roundsV2, storedSeedInputs } from './draw-v2.ts';

export interface EscalateInput {
  reason: string;
  /** extra targets per stratum label */
  counts?: Record<string, number> | undefined;
  /** extra targets in all: shared over the strata in proportion to the entities not yet drawn */
  count?: number | undefined;
}

/** One stored escalation round. */
export interface EscalationRound {
  counts: Record<string, number>;
  reason: string;
  at: string;
  by: number | null;
  added: number;
}

/**
 * The extra count per stratum: `counts` as given (labels of the commitment, each ≥ 0, at least one
 * ≥ 1, none beyond the entities left), or `count` shared by largest remainder over what is left.
 */
export function escalationCounts(
  record: Pick<CommitmentRecord, 'strata'>,
  current: Readonly<Record<string, number>>,
  input: Pick<EscalateInput, 'counts' | 'count'>,
): Record<string, number> {
  const left = new Map(
    record.strata.map((s) => [
      s.label,
      s.population - Math.min(s.population, s.size + (current[s.label] ?? 0)),
    ]),
  );
  const totalLeft = [...left.values()].reduce((a, b) => a + b, 0);
  let counts: Record<string, number>;
  if (input.counts !== undefined) {
    counts = {};
    for (const [label, n] of Object.entries(input.counts)) {
      if (!left.has(label))
        throw new AppError('DRAW_ESCALATION_INVALID', `Stratum ${label} is not in the commitment`, {
          field: 'counts',
          label,
        });
      if (!Number.isInteger(n) || n < 0)
        throw new AppError(
          'DRAW_ESCALATION_INVALID',
          `The extra count of ${label} must be a whole number ≥ 0`,
          {
            field: 'counts',
            label,
          },
        );
      if (n > (left.get(label) ?? 0))
        throw new AppError(
          'DRAW_ESCALATION_INVALID',
          `Stratum ${label} has only ${left.get(label)} entities not yet drawn (${n} asked)`,
          { field: 'counts', label, left: left.get(label), asked: n },
        );
      if (n > 0) counts[label] = n;
    }
  } else {
    const n = input.count ?? 0;
    if (!Number.isInteger(n) || n < 1 || n > totalLeft)
      throw new AppError(
        'DRAW_ESCALATION_INVALID',
        `The extra count must be a whole number from 1 to ${totalLeft} (entities not yet drawn)`,
        { field: 'count', left: totalLeft, asked: n },
      );
    const labels = record.strata.map((s) => s.label);
    const share = largestRemainder(
      labels.map((l) => left.get(l) ?? 0),
      n,
    );
    counts = {};
    labels.forEach((l, i) => {
      if (share[i]! > 0) counts[l] = share[i]!;
    });
  }
  if (Object.keys(counts).length === 0)
    throw new AppError('DRAW_ESCALATION_INVALID', 'Give at least one stratum an extra count ≥ 1', {
      field: 'counts',
      left: totalLeft,
    });
  return counts;
}

export async function escalateDraw(svc: Services, actor: Actor, drawId: number, input: EscalateInput) {
  authorize(actor, 'draw.write');
  const reason = input.reason.trim();
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${draws} where id = ${drawId} for update`);
    const [draw] = await tx.select().from(draws).where(eq(draws.id, drawId));
    if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
    const task = await loadTask(tx, draw.taskId);
    assertDepartment(actor, [task.departmentId], 'write');
    if (draw.status !== 'matched' || !draw.seed)
      throw new AppError(
        'DRAW_ESCALATION_STATE',
        `Draw ${drawId} is ${draw.status}: only a matched draw can be escalated`,
        { status: draw.status },
      );
    if (reason.length < 2)
      throw new AppError('DRAW_ESCALATION_REASON_REQUIRED', 'An escalation needs a written reason', {
        field: 'reason',
      });
    const record = JSON.parse(draw.commitment) as CommitmentRecord;
    const current = draw.escalation as Record<string, number>;
    const stored = draw.escalationRounds as EscalationRound[];
    const counts = escalationCounts(record, current, input);
    const escalation: Record<string, number> = { ...current };
    for (const [label, n] of Object.entries(counts)) escalation[label] = (escalation[label] ?? 0) + n;
    const now = svc.clock();
    if (isV2(draw)) {
      // v2: the engine reruns with every round; the selection and teams of earlier phases are unchanged
      const c = restoreV2(draw);
      const seedInputs = storedSeedInputs(draw);
      if (!seedInputs) throw new Error(`Invariant: matched draw ${drawId} without seed inputs`);
      const rounds = roundsV2([...stored, { counts }]);
      const outcome = unwrap(runDrawV2(c, seedInputs, rounds, { skipBls: true }));
      if (!outcome.teams) {
        const p = outcome.problems ?? [];
        throw new AppError(
          'MATCH_INFEASIBLE',
          `Inspectors cannot be matched to ${new Set(p.map((x) => x.key)).size} extra target(s)`,
          { problems: p },
        );
      }
      const existing = await tx.select({ key: targets.key }).from(targets).where(eq(targets.drawId, drawId));
      const have = new Set(existing.map((t) => t.key));
      const total = outcome.strata.reduce((n, s) => n + s.selected.length, 0);
      const entityOfKey = new Map(
        c.publicRoster
          .split('\n')
          .filter((l) => l.length > 0)
          .map((l, i) => [l.slice(0, l.indexOf('\t')), draw.rosterEntityIds[i] as number] as const),
      );
      const inserted = await insertTargetsV2(tx, drawId, task.id, outcome, entityOfKey, have);
      if (inserted.length + have.size !== total)
        throw new Error('Invariant: an escalated selection must contain every existing target');
      await insertTeamMembers(svc, tx, outcome.teams, new Map(inserted.map((t) => [t.key, t.id])));
      const round: EscalationRound = {
        counts,
        reason,
        at: now.toISOString(),
        by: actor.kind === 'user' ? actor.id : null,
        added: inserted.length,
      };
      await tx
        .update(draws)
        .set({ escalation, escalationRounds: [...stored, round] })
        .where(eq(draws.id, drawId));
      if (inserted.length > 0 && task.status !== 'matched')
        await tx.update(tasks).set({ status: 'matched' }).where(eq(tasks.id, task.id));
      await audit({
        action: 'draw.escalate',
        subjectType: 'draw',
        subjectId: drawId,
        departmentId: task.departmentId,
        before: { escalation: current, targets: have.size },
        after: {
          escalation,
          counts,
          reason,
          targets: total,
          added: inserted.map((f) => f.key),
          escalations: outcome.bundle.escalations,
        },
      });
      await storeBundle(tx, drawId, await encodeBundle(publicViewV2(outcome.bundle)), now);
      return;
    }
    // rounds as the protocol reads them: the stored ones, or the older escalation as one round
    const rounds = [...roundsOf(current, stored.length ? stored.map((r) => r.counts) : undefined), counts];
    const roster = unwrap(parseCanonicalRoster(draw.rosterText));
    const selection = unwrap(drawTargets(roster, record, draw.seed, escalation));
    const phased = phasedTargets(record, selection, rounds);
    const matched = matchInspectors(record.items, record.matching, phased, draw.seed);
    // nothing is stored when the extra targets cannot all get a team (the selection is fixed by the
    // seed anyway: asking again draws the same entities)
    if (!matched.ok) throw new AppError('MATCH_INFEASIBLE', matched.error.message, matched.error.details);
    const existing = await tx.select({ key: targets.key }).from(targets).where(eq(targets.drawId, drawId));
    const have = new Set(existing.map((t) => t.key));
    const flat = selection.flatMap((s) => s.selected);
    const fresh = flat.filter((e) => !have.has(e.key));
    if (fresh.length + have.size !== flat.length)
      throw new Error('Invariant: an escalated selection must contain every existing target');
    const entityOfKey = new Map(roster.keys.map((k, i) => [k, draw.rosterEntityIds[i] as number]));
    const inserted = fresh.length
      ? await tx
          .insert(targets)
          .values(
            fresh.map((s) => ({
              drawId,
              taskId: task.id,
              entityId: entityOfKey.get(s.key) as number,
              key: s.key,
              stratum: s.stratum,
              ticket: s.ticket,
              rank: s.rank,
            })),
          )
          .returning({ id: targets.id, key: targets.key })
      : [];
    const targetOfKey = new Map(inserted.map((t) => [t.key, t.id]));
    await insertTeamMembers(svc, tx, matched.value.teams, targetOfKey);
    const round: EscalationRound = {
      counts,
      reason,
      at: now.toISOString(),
      by: actor.kind === 'user' ? actor.id : null,
      added: fresh.length,
    };
    // an older escalation without stored rounds becomes the first stored round
    const before: EscalationRound[] = stored.length
      ? stored
      : rounds
          .slice(0, -1)
          .map((c) => ({ counts: c, reason: '', at: draw.drawnAt?.toISOString() ?? '', by: null, added: 0 }));
    await tx
      .update(draws)
      .set({ escalation, escalationRounds: [...before, round] })
      .where(eq(draws.id, drawId));
    // new targets have no result yet: the task is back to "matched" until they are entered
    if (fresh.length > 0 && task.status !== 'matched')
      await tx.update(tasks).set({ status: 'matched' }).where(eq(tasks.id, task.id));
    await audit({
      action: 'draw.escalate',
      subjectType: 'draw',
      subjectId: drawId,
      departmentId: task.departmentId,
      before: { escalation: current, targets: have.size },
      after: { escalation, counts, reason, targets: flat.length, added: fresh.map((f) => f.key) },
    });
    // the stored bundle is replaced by the escalated one (same seed, same commitment)
    await tx.delete(drawBundles).where(eq(drawBundles.drawId, drawId));
    await insertBundle(
      tx,
      drawId,
      await encodeBundle(await drawBundle(svc, drawId, { publicView: false }, tx)),
      now,
    );
  });
  forgetBundle(svc, drawId);
  return getDraw(svc, actor, drawId);
}
