/**
 * The reveal of a draw: the public randomness is entered, the seed derived, the targets drawn and the
 * inspectors matched (draw-protocol-v2 §6–9; a draw committed under v1 is revealed by v1, §7–9 of
 * draw-protocol.md); and reading a draw.
 */
import { eq, sql } from 'drizzle-orm';
import {
  AppError,
  publicViewV2,
  runDrawV2,
  deriveSeed,
  drawTargets,
  matchInspectors,
  parseCanonicalRoster,
  type CommitmentRecord,
  type DrawOutcomeV2,
  type TargetTeam,
} from '@choucha/core';
import { draws, targets, tasks, type Tx } from '@choucha/db';
import { assertDepartment, authorize } from '../access.ts';
import { inTransaction, type AuditInput } from '../audit.ts';
import { encodeBundle, insertBundle, storeBundle } from '../bundle-store.ts';
import type { Actor, Services } from '../context.ts';
import { drawView, loadTask, taskDepartments } from '../tasks.ts';
import { forgetBundle } from '../public.ts';
import { insertTeamMembers, unwrap } from './draw-common.ts';
import { drawBundle } from './draw-bundle.ts';
import { infeasibleProblem, isV2, restoreV2, validateCeremony, type DiceCeremony } from './draw-v2.ts';

export interface RevealInput {
  dice?: string | undefined;
  beacon?:
    | { round: number; randomness: string; signature: string; previousSignature?: string | null | undefined }
    | undefined;
  /**
   * The dice ceremony (who rolled, where, when, before whom): stored in draws.ceremony and shown on
   * the draw page and the public draw page. Optional in the service (the CLI, the demo replay, a
   * draw by drand alone); the web reveal form asks for it whenever the commitment has dice.
   * Validated when given (DRAW_CEREMONY_INVALID with details.field).
   */
  ceremony?: DiceCeremony | undefined;
}

function seedInputsOf(input: RevealInput) {
  return {
    dice: input.dice === undefined ? null : input.dice.replace(/[\s,，-]/g, ''),
    beacon: input.beacon
      ? {
          round: input.beacon.round,
          randomness: input.beacon.randomness.toLowerCase(),
          signature: input.beacon.signature.toLowerCase(),
          previousSignature: input.beacon.previousSignature?.toLowerCase() ?? null,
        }
      : null,
  };
}

/**
 * Enter the public randomness: derive the seed, draw, and match. The draw is stored even when
 * matching turns out infeasible (status 'drawn', with the reasons), because the seed is public by
 * then and the outcome must not be re-rolled; the answer is then MATCH_INFEASIBLE naming each target.
 */
export async function revealDraw(svc: Services, actor: Actor, drawId: number, input: RevealInput) {
  authorize(actor, 'draw.write');
  const problems = await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${draws} where id = ${drawId} for update`);
    const [draw] = await tx.select().from(draws).where(eq(draws.id, drawId));
    if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
    const task = await loadTask(tx, draw.taskId);
    assertDepartment(actor, [task.departmentId], 'write');
    if (draw.status !== 'committed') {
      throw new AppError(
        'DRAW_STATE',
        `Draw ${drawId} is ${draw.status}: its seed is already fixed and cannot be entered again`,
      );
    }
    const now = svc.clock();
    const ceremony = input.ceremony === undefined ? null : validateCeremony(input.ceremony, now);
    if (isV2(draw)) return revealV2(svc, tx, audit, draw, task, seedInputsOf(input), ceremony, now);
    const record = JSON.parse(draw.commitment) as CommitmentRecord;
    const roster = unwrap(parseCanonicalRoster(draw.rosterText));
    const seedInputs = seedInputsOf(input);
    const seed = unwrap(deriveSeed(draw.commitmentHash, record.seedSource, seedInputs));
    const escalation = draw.escalation as Record<string, number>;
    const selection = unwrap(drawTargets(roster, record, seed, escalation));
    const targetList = selection.flatMap((s) => s.selected.map((e) => ({ key: e.key, ticket: e.ticket })));
    const matched = matchInspectors(record.items, record.matching, targetList, seed);
    const teams: TargetTeam[] = matched.ok ? matched.value.teams : [];
    const matchProblems = matched.ok ? null : matched.error;
    const entityOfKey = new Map(roster.keys.map((k, i) => [k, draw.rosterEntityIds[i] as number]));
    await tx
      .update(draws)
      .set({
        status: matched.ok ? 'matched' : 'drawn',
        seed,
        seedInputs,
        seededAt: now,
        drawnAt: now,
        matchedAt: matched.ok ? now : null,
        matchProblems,
        ceremony,
      })
      .where(eq(draws.id, drawId));
    const flat = selection.flatMap((s) => s.selected);
    const inserted: { id: number; key: string }[] = [];
    for (let i = 0; i < flat.length; i += 2000) {
      const chunk = flat.slice(i, i + 2000);
      inserted.push(
        ...(await tx
          .insert(targets)
          .values(
            chunk.map((s) => ({
              drawId,
              taskId: task.id,
              entityId: entityOfKey.get(s.key) as number,
              key: s.key,
              stratum: s.stratum,
              ticket: s.ticket,
              rank: s.rank,
            })),
          )
          .returning({ id: targets.id, key: targets.key })),
      );
    }
    const targetOfKey = new Map(inserted.map((t) => [t.key, t.id]));
    await insertTeamMembers(svc, tx, teams, targetOfKey);
    await tx
      .update(tasks)
      .set({ status: matched.ok ? 'matched' : 'drawn' })
      .where(eq(tasks.id, task.id));
    await audit({
      action: 'draw.reveal',
      subjectType: 'draw',
      subjectId: drawId,
      departmentId: task.departmentId,
      before: { status: 'committed' },
      after: {
        status: matched.ok ? 'matched' : 'drawn',
        seed,
        seedInputs,
        targets: flat.length,
        matchProblems,
        ceremony,
      },
    });
    // From here on the bundle cannot change: store it once, with the draw (bundle-store.ts).
    await insertBundle(
      tx,
      drawId,
      await encodeBundle(await drawBundle(svc, drawId, { publicView: false }, tx)),
      now,
    );
    return matchProblems;
  });
  forgetBundle(svc, drawId);
  if (problems) throw new AppError('MATCH_INFEASIBLE', problems.message, problems.details);
  return getDraw(svc, actor, drawId);
}

/**
 * The v2 reveal (draw-protocol-v2 §6–9): the engine derives the seed, selects and matches; targets are
 * stored with their stratum label, rank, ticket and phase, teams with the real inspector ids. An
 * infeasible matching is an outcome: the draw stays 'drawn' with the reasons, and its public bundle
 * is stored at stage 'infeasible'. Answers the match problems (null when matched).
 */
async function revealV2(
  svc: Services,
  tx: Tx,
  audit: (input: AuditInput) => Promise<void>,
  draw: typeof draws.$inferSelect,
  task: typeof tasks.$inferSelect,
  seedInputs: ReturnType<typeof seedInputsOf>,
  ceremony: DiceCeremony | null,
  now: Date,
) {
  const c = restoreV2(draw);
  // a wrong dice length, beacon or signature: an error, nothing is stored
  const outcome = unwrap(runDrawV2(c, seedInputs, []));
  const seed = outcome.bundle.seed as string;
  const matched = outcome.teams !== null;
  const matchProblems = outcome.problems ? infeasibleProblem(outcome.problems) : null;
  const entityOfKey = new Map(
    c.publicRoster
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l, i) => [l.slice(0, l.indexOf('\t')), draw.rosterEntityIds[i] as number] as const),
  );
  await tx
    .update(draws)
    .set({
      status: matched ? 'matched' : 'drawn',
      seed,
      seedInputs,
      seededAt: now,
      drawnAt: now,
      matchedAt: matched ? now : null,
      matchProblems,
      ceremony,
    })
    .where(eq(draws.id, draw.id));
  const inserted = await insertTargetsV2(tx, draw.id, task.id, outcome, entityOfKey);
  await insertTeamMembers(svc, tx, outcome.teams ?? [], new Map(inserted.map((t) => [t.key, t.id])));
  await tx
    .update(tasks)
    .set({ status: matched ? 'matched' : 'drawn' })
    .where(eq(tasks.id, task.id));
  await audit({
    action: 'draw.reveal',
    subjectType: 'draw',
    subjectId: draw.id,
    departmentId: task.departmentId,
    before: { status: 'committed' },
    after: {
      status: matched ? 'matched' : 'drawn',
      stage: outcome.bundle.stage,
      seed,
      seedInputs,
      targets: inserted.length,
      matchProblems,
      ceremony,
    },
  });
  // the committed public bundle is replaced by the matched (or infeasible) one
  await storeBundle(tx, draw.id, await encodeBundle(publicViewV2(outcome.bundle)), now);
  return matchProblems;
}

/**
 * Stores the selected entities of `outcome` not in `skip` as targets (stratum label, rank, ticket,
 * phase); answers the inserted ids by key.
 */
export async function insertTargetsV2(
  tx: Tx,
  drawId: number,
  taskId: number,
  outcome: DrawOutcomeV2,
  entityOfKey: ReadonlyMap<string, number>,
  skip: ReadonlySet<string> = new Set(),
): Promise<{ id: number; key: string }[]> {
  const flat = outcome.strata.flatMap((s) => s.selected).filter((e) => !skip.has(e.key));
  const inserted: { id: number; key: string }[] = [];
  for (let i = 0; i < flat.length; i += 2000) {
    const chunk = flat.slice(i, i + 2000);
    inserted.push(
      ...(await tx
        .insert(targets)
        .values(
          chunk.map((s) => ({
            drawId,
            taskId,
            entityId: entityOfKey.get(s.key) as number,
            key: s.key,
            stratum: s.stratum,
            ticket: s.ticket,
            rank: s.rank,
            phase: outcome.phaseOf[s.key] ?? 0,
          })),
        )
        .returning({ id: targets.id, key: targets.key })),
    );
  }
  return inserted;
}

export async function getDraw(svc: Services, actor: Actor, drawId: number) {
  authorize(actor, 'task.read');
  const [draw] = await svc.database.db.select().from(draws).where(eq(draws.id, drawId));
  if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
  const task = await loadTask(svc.database.db, draw.taskId);
  assertDepartment(actor, taskDepartments(task), 'read');
  return drawView(svc, draw, actor, task);
}
