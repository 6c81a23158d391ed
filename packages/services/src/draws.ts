/**
 * The draw lifecycle in the product: committed (public) → drawn (public) → matched, on the engine
 * of docs/specs/draw-protocol.md (@choucha/core). Everything needed to verify is stored: the
 * commitment's canonical JSON, the canonical roster, the seed inputs, the outcome (every ticket of
 * the selection and every team), the algorithm version.
 */
import { and, asc, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  AppError,
  BUNDLE_FORMAT,
  ALGORITHM_VERSION,
  DRAND_MAINNET,
  DRAND_QUICKNET,
  DEFAULT_DISTRICT_RULES,
  buildCommitment,
  deriveSeed,
  drawRulesOf,
  DRAW_EXCLUSION_REASONS,
  drawTargets,
  matchInspectors,
  parseCanonicalRoster,
  sampleSize,
  type CommitmentRecord,
  type DrawBundle,
  type DrawError,
  type DrawRulesRecord,
  type DrawExclusionReason,
  type Inspector as EngineInspector,
  type Pair,
  type Result,
  type Selection,
  type SeedSource,
  type StratumRule,
  type TargetTeam,
} from '@choucha/core';
import {
  copyRows,
  draws,
  drawExclusions,
  entities,
  inspectorStatusPeriods,
  inspectors,
  items,
  recusals,
  targetInspectors,
  targets,
  taskItems,
  tasks,
  type Tx,
} from '@choucha/db';
import { assertDepartment, authorize } from './access.ts';
import { readDistrictRules } from './admin/settings.ts';
import { inTransaction } from './audit.ts';
import { encodeBundle, insertBundle } from './bundle-store.ts';
import { recordCheckpoint } from './checkpoints.ts';
import type { Actor, Services } from './context.ts';
import { assertPartnersBound, drawView, loadTask, taskDepartments, type SamplingInput } from './tasks.ts';

import { ACTIVE_STATUSES, buildRoster, type RosterRow } from './campaigns/roster.ts';

export { ACTIVE_STATUSES };
/**
 * The defaults of the district rules (@choucha/core district-rules.ts). A draw uses the rules in
 * effect at its commitment (settings, services/admin/settings.ts) and records them in draws.rules.
 */
export const DEFAULT_CLASS = DEFAULT_DISTRICT_RULES.unclassifiedClass;
export const DRAW_RULES = {
  teamSize: DEFAULT_DISTRICT_RULES.teamSize,
  coolDownMonths: DEFAULT_DISTRICT_RULES.coolDownMonths,
  yearlyCap: DEFAULT_DISTRICT_RULES.yearlyCap,
};

export function unwrap<T>(r: Result<T, DrawError>): T {
  if (r.ok) return r.value;
  throw new AppError(r.error.code, r.error.message, r.error.details);
}

/** A number like 0.05 as the protocol's decimal string ("0.05"), at most 6 decimals. */
export function ratioString(r: number): string {
  if (!(r > 0 && r <= 1))
    throw new AppError('DRAW_RATIO_INVALID', `Ratio ${r} is outside (0, 1]: no class may be exempt (不免抽)`);
  const s = r.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  if (s === '0') throw new AppError('DRAW_RATIO_INVALID', `Ratio ${r} is below 0.000001`);
  return s;
}

const DRAND_CHAINS = [DRAND_QUICKNET, DRAND_MAINNET];
const DRAND_TIMING: Record<string, { genesis: number; period: number }> = {
  [DRAND_QUICKNET.chainHash]: { genesis: 1692803367, period: 3 },
  [DRAND_MAINNET.chainHash]: { genesis: 1595431050, period: 30 },
};

export function drandRoundTime(chainHash: string, round: number): Date {
  const t = DRAND_TIMING[chainHash];
  if (!t) throw new AppError('DRAW_INPUT_INVALID', `Unknown drand chain ${chainHash}`);
  return new Date((t.genesis + (round - 1) * t.period) * 1000);
}

async function matchingInput(
  tx: Tx,
  task: typeof tasks.$inferSelect,
  itemDepts: number[],
  roster: RosterRow[],
  rules: DrawRulesRecord,
  /** the commitment's day (svc.clock): a certificate that expired before it is not eligible */
  today: string,
) {
  const pool = itemDepts.length
    ? await tx
        .select({
          id: inspectors.id,
          departmentId: inspectors.departmentId,
          fields: inspectors.fields,
          certValidFrom: inspectors.certValidFrom,
          certValidTo: inspectors.certValidTo,
        })
        .from(inspectors)
        .where(
          and(
            inArray(inspectors.departmentId, itemDepts),
            eq(inspectors.active, true),
            or(isNull(inspectors.certValidTo), gte(inspectors.certValidTo, today)),
          ),
        )
        .orderBy(asc(inspectors.id))
    : [];
  const ids = pool.map((p) => p.id);
  const periods = ids.length
    ? await tx.select().from(inspectorStatusPeriods).where(inArray(inspectorStatusPeriods.inspectorId, ids))
    : [];
  const loads = ids.length
    ? await tx
        .select({ inspectorId: targetInspectors.inspectorId, n: sql<number>`count(*)::int` })
        .from(targetInspectors)
        .innerJoin(targets, eq(targets.id, targetInspectors.targetId))
        .innerJoin(draws, eq(draws.id, targets.drawId))
        .innerJoin(tasks, eq(tasks.id, targets.taskId))
        .where(
          and(
            inArray(targetInspectors.inspectorId, ids),
            eq(tasks.year, task.year),
            eq(draws.status, 'matched'),
          ),
        )
        .groupBy(targetInspectors.inspectorId)
    : [];
  const loadOf = new Map(loads.map((l) => [l.inspectorId, Number(l.n)]));
  const keyOf = new Map(roster.map((r) => [r.entityId, r.key]));
  const rec = ids.length
    ? await tx
        .select({ inspectorId: recusals.inspectorId, entityId: recusals.entityId })
        .from(recusals)
        // only confirmed recusals bind (a declaration awaiting its admin, or a rejected one, does not)
        .where(and(inArray(recusals.inspectorId, ids), eq(recusals.status, 'confirmed')))
    : [];
  const recusalPairs: Pair[] = rec.flatMap((r) => {
    const key = keyOf.get(r.entityId);
    return key ? [{ inspectorId: String(r.inspectorId), key }] : [];
  });
  // Previous inspection of each entity by each department: its team may not go again.
  const prev = ids.length
    ? await tx.execute(sql`
        select distinct on (t.entity_id, ti.department_id) t.entity_id, ti.department_id, t.id as target_id
          from ${targets} t
          join ${draws} d on d.id = t.draw_id and d.status = 'matched'
          join ${targetInspectors} ti on ti.target_id = t.id
         where ti.department_id = any(${`{${itemDepts.join(',')}}`}::int[]) and t.task_id <> ${task.id}
         order by t.entity_id, ti.department_id, t.id desc`)
    : { rows: [] };
  const prevTargets = (
    prev as unknown as { rows: { entity_id: number; department_id: number; target_id: number }[] }
  ).rows.filter((r) => keyOf.has(r.entity_id));
  const prevMembers = prevTargets.length
    ? await tx
        .select({
          targetId: targetInspectors.targetId,
          inspectorId: targetInspectors.inspectorId,
          departmentId: targetInspectors.departmentId,
        })
        .from(targetInspectors)
        .where(
          inArray(
            targetInspectors.targetId,
            prevTargets.map((p) => p.target_id),
          ),
        )
    : [];
  const entityOfTarget = new Map(prevTargets.map((p) => [p.target_id, p.entity_id]));
  const previousPairs: Pair[] = prevMembers.flatMap((m) => {
    const key = keyOf.get(entityOfTarget.get(m.targetId) ?? -1);
    return key ? [{ inspectorId: String(m.inspectorId), key }] : [];
  });
  const engineInspectors: EngineInspector[] = pool.map((p) => ({
    id: String(p.id),
    department: String(p.departmentId),
    fields: p.fields,
    certificate: { from: p.certValidFrom ?? '1900-01-01', to: p.certValidTo ?? '9999-12-31' },
    unavailable: periods
      .filter((x) => x.inspectorId === p.id)
      .map((x) => ({ from: x.fromDate, to: x.toDate ?? '9999-12-31' })),
    load: loadOf.get(p.id) ?? 0,
  }));
  return {
    inspection: { from: task.windowStart, to: task.windowEnd },
    rules: { teamSize: rules.teamSize, maxLoad: rules.maxLoadPerInspector, avoidPrevious: true },
    inspectors: engineInspectors,
    recusals: recusalPairs,
    previous: previousPairs,
  };
}

export interface CommitDrawInput {
  seedSource: { dice: boolean; drand?: { chainHash: string; round: number } | undefined };
  redrawReason?: string | undefined;
}

export async function commitDraw(svc: Services, actor: Actor, taskId: number, input: CommitDrawInput) {
  authorize(actor, 'draw.write');
  const drawId = await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${tasks} where id = ${taskId} for update`);
    const task = await loadTask(tx, taskId);
    assertDepartment(actor, [task.departmentId], 'write');
    // only bound departments are drawn for: every cooperating department has answered (issue 7 §2)
    await assertPartnersBound(tx, task);
    const previous = await tx
      .select()
      .from(draws)
      .where(eq(draws.taskId, taskId))
      .orderBy(asc(draws.attempt));
    const live = previous.filter((d) => d.status !== 'superseded');
    if (live.length > 0 && !input.redrawReason?.trim()) {
      throw new AppError(
        'DRAW_REDRAW_REASON_REQUIRED',
        'This task already has a draw; a redraw needs a new commitment with a written reason',
        {
          drawId: live[0]?.id,
        },
      );
    }
    const now = svc.clock();
    // The seed source is fixed now, and must not be knowable yet.
    let drand: SeedSource['drand'] = null;
    if (input.seedSource.drand) {
      const chain = DRAND_CHAINS.find((c) => c.chainHash === input.seedSource.drand?.chainHash);
      if (!chain)
        throw new AppError('DRAW_INPUT_INVALID', `Unknown drand chain ${input.seedSource.drand.chainHash}`);
      const at = drandRoundTime(chain.chainHash, input.seedSource.drand.round);
      if (at.getTime() < now.getTime() + 60_000) {
        throw new AppError(
          'DRAW_BEACON_ROUND_TOO_SOON',
          `drand round ${input.seedSource.drand.round} is published at ${at.toISOString()}, which is not at least a minute in the future: its randomness could already be known`,
          { field: 'seedSource.drand.round' },
        );
      }
      drand = {
        chainHash: chain.chainHash,
        publicKey: chain.publicKey,
        scheme: chain.scheme,
        round: input.seedSource.drand.round,
      };
    }
    const seedSource: SeedSource = { dice: input.seedSource.dice ? { minDigits: 20 } : null, drand };
    // the district rules in effect now; recorded with the draw (a later change never alters it)
    const districtRules = drawRulesOf(await readDistrictRules(tx));
    const { roster, exclusions } = await buildRoster(tx, task, districtRules);
    if (roster.length === 0)
      throw new AppError('DRAW_ROSTER_EMPTY', 'No entity in the task scope is eligible to be drawn', {
        excluded: exclusions.length,
      });
    // Opaque stratum labels: the public commitment never names a risk class.
    const classes = [...new Set(roster.map((r) => r.riskClass))].sort();
    const sampling = task.sampling as SamplingInput;
    const labelOf = new Map<string, string>();
    for (const c of classes) labelOf.set(c, c === 'ALL' ? 'ALL' : `S${svc.randomBytes(4).toString('hex')}`);
    const rules: StratumRule[] = classes.map((c) => {
      const r = c === 'ALL' ? sampling.ratio : (sampling.classes?.[c] ?? sampling.ratio);
      if (r === undefined) {
        throw new AppError(
          'DRAW_RATIO_INVALID',
          `Risk class ${c} has entities in scope but no sampling ratio: no class may be exempt (不免抽)`,
          { riskClass: c },
        );
      }
      return {
        label: labelOf.get(c) as string,
        ratio: ratioString(r),
        min: sampling.min ?? 0,
        max: sampling.max ?? null,
      };
    });
    const itemRows = await tx
      .select({ id: items.id, departmentId: items.departmentId, field: items.field })
      .from(taskItems)
      .innerJoin(items, eq(items.id, taskItems.itemId))
      .where(eq(taskItems.taskId, taskId))
      .orderBy(asc(items.id));
    const itemDepts = [...new Set(itemRows.map((i) => i.departmentId))];
    const matching = await matchingInput(
      tx,
      task,
      itemDepts,
      roster,
      districtRules,
      now.toISOString().slice(0, 10),
    );
    const commitment = unwrap(
      buildCommitment({
        task: { id: String(task.id), name: task.name },
        items: itemRows.map((i) => ({
          id: String(i.id),
          department: String(i.departmentId),
          field: i.field,
        })),
        roster: roster.map((r) => ({ key: r.key, stratum: labelOf.get(r.riskClass) as string })),
        strata: rules,
        matching,
        seedSource,
      }),
    );
    const entityOfKey = new Map(roster.map((r) => [r.key, r.entityId]));
    const attempt = previous.length + 1;
    const [draw] = await tx
      .insert(draws)
      .values({
        taskId,
        attempt,
        status: 'committed',
        algorithmVersion: ALGORITHM_VERSION,
        commitment: commitment.json,
        commitmentHash: commitment.hash,
        committedAt: now,
        rosterRoot: commitment.roster.root,
        rosterSize: commitment.roster.size,
        rosterText: commitment.roster.text,
        rosterEntityIds: commitment.roster.keys.map((k) => entityOfKey.get(k) as number),
        stratumClasses: Object.fromEntries([...labelOf].map(([c, l]) => [l, c])),
        seedSource,
        redrawReason: input.redrawReason ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        rules: districtRules,
      })
      .returning({ id: draws.id });
    if (!draw) throw new Error('Invariant: insert returned nothing');
    for (const d of live)
      await tx.update(draws).set({ status: 'superseded', supersededBy: draw.id }).where(eq(draws.id, d.id));
    await copyRows(
      svc.database,
      tx,
      'draw_exclusions',
      ['draw_id', 'entity_id', 'reason', 'reason_code', 'reason_params'],
      exclusions.map((e) => [draw.id, e.entityId, e.reason, e.code, JSON.stringify(e.params)]),
    );
    await tx.update(tasks).set({ status: 'committed' }).where(eq(tasks.id, taskId));
    await audit({
      action: attempt > 1 ? 'draw.recommit' : 'draw.commit',
      subjectType: 'draw',
      subjectId: draw.id,
      departmentId: task.departmentId,
      after: {
        taskId,
        attempt,
        commitmentHash: commitment.hash,
        rosterRoot: commitment.roster.root,
        rosterSize: commitment.roster.size,
        excluded: exclusions.length,
        strata: commitment.record.strata.map((s) => ({
          label: s.label,
          population: s.population,
          size: s.size,
        })),
        redrawReason: input.redrawReason ?? null,
      },
    });
    // publish the chain head with the commitment, in the same transaction (issue 7 §1: anchors)
    await recordCheckpoint(tx, svc, 'draw_commitment', String(draw.id));
    return draw.id;
  });
  return getDraw(svc, actor, drawId);
}

/**
 * What a commitment would contain, before it is published: the roster size, the exclusions by
 * reason, and per risk class the population, ratio and sample size. Staff only (it names classes).
 */
export async function previewDraw(svc: Services, actor: Actor, taskId: number) {
  authorize(actor, 'draw.write');
  return inTransaction(svc, actor, async (tx) => {
    const task = await loadTask(tx, taskId);
    assertDepartment(actor, taskDepartments(task), 'read');
    const { roster, exclusions } = await buildRoster(tx, task, drawRulesOf(await readDistrictRules(tx)));
    const sampling = task.sampling as SamplingInput;
    const byClass = new Map<string, number>();
    for (const r of roster) byClass.set(r.riskClass, (byClass.get(r.riskClass) ?? 0) + 1);
    const strata = [...byClass].sort().map(([riskClass, population]) => {
      const ratio = riskClass === 'ALL' ? sampling.ratio : (sampling.classes?.[riskClass] ?? sampling.ratio);
      const size =
        ratio === undefined
          ? null
          : sampleSize(ratioString(ratio), population, sampling.min ?? 0, sampling.max ?? null);
      return { riskClass, population, ratio: ratio ?? null, size };
    });
    // by code; `reason` is the code's short English label (kept for older readers)
    const reasons = new Map<string, { code: DrawExclusionReason['code']; count: number }>();
    for (const e of exclusions) {
      const kind = DRAW_EXCLUSION_REASONS[e.code].label.en;
      reasons.set(kind, { code: e.code, count: (reasons.get(kind)?.count ?? 0) + 1 });
    }
    return {
      rosterSize: roster.length,
      excluded: exclusions.length,
      exclusionsByReason: [...reasons].map(([reason, r]) => ({ code: r.code, reason, count: r.count })),
      strata,
      targets: strata.reduce((n, s) => n + (s.size ?? 0), 0),
      problems: strata
        .filter((s) => s.size === null)
        .map((s) => `Risk class ${s.riskClass} has no ratio: no class may be exempt (不免抽)`),
    };
  });
}

export interface RevealInput {
  dice?: string | undefined;
  beacon?:
    | { round: number; randomness: string; signature: string; previousSignature?: string | null | undefined }
    | undefined;
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
    const record = JSON.parse(draw.commitment) as CommitmentRecord;
    const roster = unwrap(parseCanonicalRoster(draw.rosterText));
    const seedInputs = {
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
    const seed = unwrap(deriveSeed(draw.commitmentHash, record.seedSource, seedInputs));
    const escalation = draw.escalation as Record<string, number>;
    const selection = unwrap(drawTargets(roster, record, seed, escalation));
    const targetList = selection.flatMap((s) => s.selected.map((e) => ({ key: e.key, ticket: e.ticket })));
    const matched = matchInspectors(record.items, record.matching, targetList, seed);
    const teams: TargetTeam[] = matched.ok ? matched.value.teams : [];
    const matchProblems = matched.ok ? null : matched.error;
    const now = svc.clock();
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
    const members = teams.flatMap((t) =>
      t.teams.flatMap((dt) =>
        dt.inspectorIds.map(
          (iid, pos) =>
            [targetOfKey.get(t.key) as number, Number(iid), Number(dt.department), pos + 1] as const,
        ),
      ),
    );
    await copyRows(
      svc.database,
      tx,
      'target_inspectors',
      ['target_id', 'inspector_id', 'department_id', 'position'],
      members,
    );
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
  if (problems) throw new AppError('MATCH_INFEASIBLE', problems.message, problems.details);
  return getDraw(svc, actor, drawId);
}

export async function getDraw(svc: Services, actor: Actor, drawId: number) {
  authorize(actor, 'task.read');
  const [draw] = await svc.database.db.select().from(draws).where(eq(draws.id, drawId));
  if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
  const task = await loadTask(svc.database.db, draw.taskId);
  assertDepartment(actor, taskDepartments(task), 'read');
  return drawView(svc, draw, actor, task);
}

/** The verification bundle (draw-protocol §10), rebuilt from what was stored at the draw. */
export async function drawBundle(
  svc: Services,
  drawId: number,
  opts: { publicView: boolean },
  db: Tx | Services['database']['db'] = svc.database.db,
): Promise<DrawBundle> {
  const [draw] = await db.select().from(draws).where(eq(draws.id, drawId));
  if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
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
  const teams: TargetTeam[] = wasMatched
    ? selection
        .flatMap((s) => s.selected)
        .sort((a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.key < b.key ? -1 : 1))
        .map((s) => {
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
