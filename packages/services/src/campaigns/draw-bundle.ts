/**
 * The verification bundle of a draw, rebuilt from what was stored — v2 (draw-protocol-v2 §11: the
 * public or the full view, any stage) or v1 (draw-protocol §10, unchanged for draws stored before) —
 * and the draw's exclusions.
 */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import {
  AppError,
  BUNDLE_FORMAT,
  ALGORITHM_VERSION,
  matchingOrder,
  phasedTargets,
  roundsOf,
  publicViewV2,
  type CommitmentRecord,
  type DrawBundle,
  type FullBundleV2,
  type PublicBundleV2,
  type Selection,
  type TargetTeam,
} from '@choucha/core';
import { draws, drawExclusions, entities, targetInspectors, targets, type Tx } from '@choucha/db';
import type { Actor, Services } from '../context.ts';
import { getDraw } from './draw-reveal.ts';
import { fullBundleV2, isV2 } from './draw-v2.ts';

export type AnyDrawBundle = DrawBundle | PublicBundleV2 | FullBundleV2;

/**
 * Which bundle: `view` 'public' (what anyone may download) or 'full' (v2: with the openings and the
 * private matching record — only for fullDrawBundle's callers); `publicView` (older callers) decides
 * only the error for a v1 draw not drawn yet (NOT_FOUND publicly, DRAW_STATE for staff) and means
 * the public view. A v1 draw has one bundle for every view.
 */
export interface BundleOptions {
  view?: 'public' | 'full' | undefined;
  publicView?: boolean | undefined;
}

/**
 * The verification bundle, rebuilt from what was stored: a v2 draw's at any stage (committed too),
 * a v1 draw's once drawn (draw-protocol §10).
 */
export async function drawBundle(
  svc: Services,
  drawId: number,
  opts: BundleOptions,
  db: Tx | Services['database']['db'] = svc.database.db,
): Promise<AnyDrawBundle> {
  const [draw] = await db.select().from(draws).where(eq(draws.id, drawId));
  if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
  if (isV2(draw)) {
    const full = await fullBundleV2(db, draw);
    return opts.view === 'full' ? full : publicViewV2(full);
  }
  return drawBundleV1(draw, opts, db);
}

/** A v1 draw's bundle (draw-protocol §10), as before v2. */
async function drawBundleV1(
  draw: typeof draws.$inferSelect,
  opts: BundleOptions,
  db: Tx | Services['database']['db'],
): Promise<DrawBundle> {
  const drawId = draw.id;
  if (!draw.seed || !draw.seedInputs) {
    throw new AppError(
      opts.publicView ? 'NOT_FOUND' : 'DRAW_STATE',
      `Draw ${drawId} has not been drawn yet: only its commitment exists`,
    );
  }
  const record = JSON.parse(draw.commitment) as CommitmentRecord;
  const rows = await db
    .select({
      id: targets.id,
      key: targets.key,
      stratum: targets.stratum,
      ticket: targets.ticket,
      rank: targets.rank,
    })
    .from(targets)
    .where(eq(targets.drawId, drawId))
    .orderBy(asc(targets.stratum), asc(targets.rank));
  const members = rows.length
    ? await db
        .select()
        .from(targetInspectors)
        .where(
          inArray(
            targetInspectors.targetId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(
          asc(targetInspectors.targetId),
          asc(targetInspectors.departmentId),
          asc(targetInspectors.position),
        )
    : [];
  const escalation = draw.escalation as Record<string, number>;
  const selection: Selection = record.strata.map((s) => ({
    label: s.label,
    population: s.population,
    size: Math.min(s.population, s.size + (escalation[s.label] ?? 0)),
    selected: rows
      .filter((r) => r.stratum === s.label)
      .map((r) => ({ key: r.key, stratum: r.stratum, rank: r.rank, ticket: r.ticket })),
  }));
  const byTarget = new Map<number, typeof members>();
  for (const m of members) {
    const list = byTarget.get(m.targetId);
    if (list) list.push(m);
    else byTarget.set(m.targetId, [m]);
  }
  const idOfKey = new Map(rows.map((r) => [r.key, r.id]));
  // A superseded draw that had been matched keeps its teams: its outcome was public and stays verifiable.
  const wasMatched = draw.status === 'matched' || (draw.status === 'superseded' && draw.matchedAt !== null);
  // escalations matched after the committed targets, round by round (draw-protocol §8, §9)
  const storedRounds = (draw.escalationRounds as { counts: Record<string, number> }[]).map((r) => r.counts);
  const rounds = roundsOf(escalation, storedRounds.length ? storedRounds : undefined);
  const teams: TargetTeam[] = wasMatched
    ? matchingOrder(phasedTargets(record, selection, rounds)).map((s) => {
        const id = idOfKey.get(s.key) as number;
        const ms = byTarget.get(id) ?? [];
        const depts = [...new Set(ms.map((m) => m.departmentId))].map(String).sort();
        return {
          key: s.key,
          teams: depts.map((d) => ({
            department: d,
            inspectorIds: ms.filter((m) => String(m.departmentId) === d).map((m) => String(m.inspectorId)),
          })),
        };
      })
    : [];
  return {
    format: BUNDLE_FORMAT,
    algorithm: ALGORITHM_VERSION,
    commitment: record,
    commitmentHash: draw.commitmentHash,
    roster: draw.rosterText,
    seedInputs: draw.seedInputs as DrawBundle['seedInputs'],
    seed: draw.seed,
    escalation,
    ...(storedRounds.length ? { escalationRounds: storedRounds } : {}),
    selection,
    teams,
  };
}

export async function listDrawExclusions(svc: Services, actor: Actor, drawId: number) {
  await getDraw(svc, actor, drawId);
  return svc.database.db
    .select({
      entityId: drawExclusions.entityId,
      name: entities.name,
      reason: drawExclusions.reason,
      reasonCode: drawExclusions.reasonCode,
      reasonParams: drawExclusions.reasonParams,
    })
    .from(drawExclusions)
    .innerJoin(entities, eq(entities.id, drawExclusions.entityId))
    .where(eq(drawExclusions.drawId, drawId))
    .orderBy(desc(drawExclusions.entityId))
    .limit(2000);
}
